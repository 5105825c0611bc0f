"""Production settings: the README's variables pass `check --deploy`, and pages carry the
security headers (HSTS, CSP without unsafe-inline scripts, Referrer-Policy, nosniff, DENY)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]


def production_env(**extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "NEWSROOM_", "DATABASE_URL", "REDIS_URL", "SITE_URL"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "news.example.com",
            "SITE_URL": "https://news.example.com",
            "NEWSROOM_CACHE_DIR": str(ROOT / ".cache"),
        }
    )
    env.update(extra)
    return env


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_check_deploy_passes_with_readme_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_check_deploy_fails_on_a_weak_key():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_env(DJANGO_SECRET_KEY="short"),
    )
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


@pytest.mark.slow
def test_missing_secret_key_names_the_variable():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
    assert "Traceback" not in result.stderr.split("ImproperlyConfigured")[-1]


@pytest.mark.slow
def test_production_uses_a_cache_shared_by_workers():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = manage("shell", "-c", code, env=production_env())
    assert result.stdout.strip().endswith("FileBasedCache"), result.stderr
    result = manage("shell", "-c", code, env=production_env(REDIS_URL="redis://127.0.0.1:6379/8"))
    assert result.stdout.strip().endswith("RedisCache"), result.stderr


@pytest.mark.slow
def test_media_storage_is_local_unless_an_s3_bucket_is_named():
    code = (
        "from django.conf import settings; s = settings.STORAGES['default'];"
        "print(s['BACKEND'], s.get('OPTIONS', {}).get('bucket_name'),"
        " s.get('OPTIONS', {}).get('endpoint_url'), settings.NEWSROOM_SERVE_MEDIA)"
    )
    result = manage("shell", "-c", code, env=production_env())
    assert result.stdout.splitlines()[-1].split() == [
        "django.core.files.storage.FileSystemStorage",
        "None",
        "None",
        "True",
    ], result.stderr
    s3 = production_env(
        NEWSROOM_S3_BUCKET="newsroom-media", NEWSROOM_S3_ENDPOINT_URL="https://s3.example.net"
    )
    result = manage("shell", "-c", code, env=s3)
    assert result.stdout.splitlines()[-1].split() == [
        "storages.backends.s3.S3Storage",
        "newsroom-media",
        "https://s3.example.net",
        "False",
    ], result.stderr


@pytest.mark.django_db
def test_security_headers_on_a_page(client, article):
    response = client.get(article.get_absolute_url())
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    csp = response["Content-Security-Policy"]
    script_src = csp.split("script-src", 1)[1].split(";")[0]
    # A reader's page runs same-origin files only: no inline script, not even a nonce'd one.
    assert script_src.split() == ["'self'"]
    assert "Strict-Transport-Security" not in response  # plain HTTP in tests


@pytest.mark.django_db
def test_hsts_and_redirect_when_https_is_on(client, article):
    with override_settings(
        SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True
    ):
        plain = client.get(article.get_absolute_url())
        assert plain.status_code == 301 and plain["Location"].startswith("https://")
        secure = client.get(article.get_absolute_url(), secure=True)
        assert secure.status_code == 200
        assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_postgresql_connections_run_without_jit(postgres_only):
    """JIT compiled a big count for longer than the count ran (docs/decisions.md)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
