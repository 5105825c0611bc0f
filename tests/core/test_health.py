"""/healthz and /readyz: what the balancer and monitoring see, and what they never cause."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Nothing listens here (the helpers' reserved range): a dependency that is down.
CLOSED = "127.0.0.1:18399"
ROOT = Path(__file__).resolve().parents[2]


def ready(client):
    response = client.get("/readyz")
    return response.status_code, json.loads(response.content)


@pytest.mark.django_db
def test_healthz_answers_without_database_cache_or_cookie(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    assert not response.cookies


@pytest.mark.django_db
def test_readyz_reports_each_dependency(client):
    status, body = ready(client)
    assert status == 200
    assert body["status"] == "ready"
    assert body["failed"] == []
    # Tests run with a local cache and views counted in the database.
    assert body["checks"] == {
        "database": "ok",
        "cache": "not used",
        "storage": "ok",
        "view_store": "not used",
    }


@pytest.mark.django_db
def test_readyz_is_never_cached_counted_or_cookied(client):
    response = client.get("/readyz")
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "application/json"
    assert not response.cookies
    assert client.post("/readyz").status_code == 405


@pytest.mark.django_db
def test_unwritable_media_storage_is_a_503(client, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = blocker
    status, body = ready(client)
    assert status == 503
    assert body == {**body, "status": "unavailable", "failed": ["storage"]}


@pytest.mark.django_db
def test_media_root_not_yet_made_is_ready(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads" / "not-yet"
    assert ready(client)[0] == 200


@pytest.mark.django_db
def test_unreachable_redis_cache_is_a_503(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.ResilientRedisCache",
            "LOCATION": f"redis://{CLOSED}/3",
        }
    }
    status, body = ready(client)
    assert status == 503
    assert body["failed"] == ["cache"]
    assert f"{CLOSED}" not in json.dumps(body)  # hosts stay in the log


@pytest.mark.django_db
def test_unreachable_redis_view_store_is_a_503(client, settings):
    settings.NEWSROOM_VIEW_STORE = "redis"
    settings.NEWSROOM_VIEW_REDIS_URL = f"redis://{CLOSED}/3"
    status, body = ready(client)
    assert status == 503
    assert body["failed"] == ["view_store"]


@pytest.mark.redis
@pytest.mark.django_db
def test_reachable_redis_is_ready(client, settings, redis_url):
    settings.CACHES = {
        "default": {"BACKEND": "core.redis_cache.ResilientRedisCache", "LOCATION": redis_url}
    }
    settings.NEWSROOM_VIEW_STORE = "redis"
    settings.NEWSROOM_VIEW_REDIS_URL = redis_url
    status, body = ready(client)
    assert status == 200
    assert body["checks"]["cache"] == body["checks"]["view_store"] == "ok"


@pytest.mark.django_db
def test_unreachable_object_storage_is_a_503(client, settings):
    pytest.importorskip("storages.backends.s3")
    from botocore.config import Config

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "newsroom-media",
                "endpoint_url": f"http://{CLOSED}",
                "access_key": "test",
                "secret_key": "test",
                "client_config": Config(retries={"max_attempts": 0}, connect_timeout=1),
            },
        },
    }
    status, body = ready(client)
    assert status == 503
    assert body["failed"] == ["storage"]


@pytest.mark.django_db
def test_health_paths_are_not_redirected_to_https(client, settings):
    """The balancer asks the app server over plain HTTP, with HTTPS on for readers."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/").status_code == 301
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


def test_healthz_needs_no_database_at_all(client):
    """Without the db fixture any query raises: this process answers without one."""
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_a_host_not_allowed_is_still_refused(client):
    """The balancer must send a Host of DJANGO_ALLOWED_HOSTS (README "Production")."""
    assert client.get("/healthz", HTTP_HOST="10.0.0.7").status_code == 400


@pytest.mark.django_db
def test_robots_txt_keeps_crawlers_away(client):
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /healthz" in robots
    assert "Disallow: /readyz" in robots


def test_unreachable_database_is_a_503_while_healthz_still_answers():
    """A fresh process whose DATABASE_URL points at a closed port, asked through Django's client."""
    script = (
        "import django, json\n"
        "django.setup()\n"
        "from django.test import Client\n"
        "client = Client(HTTP_HOST='127.0.0.1')\n"
        "ready = client.get('/readyz')\n"
        "print(client.get('/healthz').status_code, ready.status_code, ready.content.decode())\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEST_")}
    env.update(
        NEWSROOM_TESTING="1",
        DATABASE_URL=f"postgres://postgres@{CLOSED}/newsroom_h3",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_HTTPS="0",
        DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "newsroom.settings"),
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    healthz, readyz, body = done.stdout.strip().split(" ", 2)
    assert (healthz, readyz) == ("200", "503")
    assert json.loads(body)["failed"] == ["database"]


@pytest.mark.slow
@pytest.mark.django_db
def test_a_reachable_bucket_is_ready(client, settings, monkeypatch):
    pytest.importorskip("storages.backends.s3")
    from tests.support.s3 import CREDENTIALS, MotoS3, free_port, s3_storage_setting

    bucket = MotoS3(port=free_port(range(18300, 18400))).start()
    try:
        for name, value in CREDENTIALS.items():
            monkeypatch.setenv(name, value)
        settings.STORAGES = {**settings.STORAGES, "default": s3_storage_setting(bucket.endpoint)}
        status, body = ready(client)
    finally:
        bucket.stop()
    assert status == 200
    assert body["checks"]["storage"] == "ok"
