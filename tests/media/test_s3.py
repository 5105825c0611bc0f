"""Media on S3 (README "Media on S3"), against a real S3 API: moto_server on loopback.

Originals and renditions go to the bucket, pages point at the bucket's URL, the CSP's img-src
follows it, bodies keep only images the CSP allows, and an S3 outage costs no page and leaves
nothing half saved.
"""

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from botocore.exceptions import EndpointConnectionError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from storages.backends.s3 import S3Storage

from articles.sanitize import sanitize_html
from media.models import Image
from tests.support.pictures import jpeg_with_gps
from tests.support.s3 import BUCKET, CREDENTIALS, MotoS3, s3_storage_setting

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def moto():
    server = MotoS3().start()
    yield server
    server.stop()


@pytest.fixture
def on_s3(moto, settings, monkeypatch):
    """The site with its media in the moto bucket (emptied first)."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    client = moto.client()
    for key in moto.keys():  # noqa: SIM118 - the bucket's keys, not a dict's
        client.delete_object(Bucket=BUCKET, Key=key)
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage_setting(moto.endpoint)}
    settings.NEWSROOM_SERVE_MEDIA = False
    return moto


def upload(client, name="harbour.jpg", title="Harbour"):
    return client.post(
        reverse("admin:media_image_add"),
        {"title": title, "alt_text": "Cranes", "file": SimpleUploadedFile(name, jpeg_with_gps())},
    )


def fetch(url):
    with urllib.request.urlopen(url, timeout=5) as answer:
        return answer.status, answer.headers, answer.read()


@pytest.mark.django_db
def test_an_upload_stores_the_original_and_renditions_in_the_bucket(on_s3, editor_client):
    response = upload(editor_client)
    assert response.status_code == 302, response.content.decode()[:2000]
    image = Image.objects.get(title="Harbour")
    keys = on_s3.keys()
    assert image.file.name in keys
    assert image.renditions
    assert {entry["name"] for entry in image.renditions.values()} <= set(keys)
    status, headers, body = fetch(image.file.url)
    assert image.file.url == on_s3.object_url(image.file.name)
    assert status == 200 and body[:2] == b"\xff\xd8"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"


@pytest.mark.django_db
def test_pages_point_at_the_bucket_and_the_csp_allows_it(on_s3, make_article, make_image):
    from django.test import Client

    image = make_image("cover.jpg")
    article = make_article(cover=image, body="<p>Body</p>")
    response = Client().get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    srcs = [part.split('"')[0] for part in html.split(' src="')[1:]]
    media = [src for src in srcs if src.startswith(on_s3.endpoint)]
    assert media, srcs
    for src in media:
        assert fetch(src)[0] == 200
    img_src = response["Content-Security-Policy"].split("img-src")[1].split(";")[0]
    assert on_s3.endpoint in img_src.split()


@pytest.mark.django_db
def test_a_custom_domain_is_the_media_origin(on_s3, settings, client, make_article):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage_setting(on_s3.endpoint, custom_domain="media.example.com"),
    }
    article = make_article()
    csp = client.get(article.get_absolute_url())["Content-Security-Policy"]
    assert "https://media.example.com" in csp.split("img-src")[1].split(";")[0].split()


@pytest.mark.django_db
def test_body_images_keep_the_site_and_media_origins_only(on_s3):
    kept = [
        "/media/images/a.jpg",
        "http://testserver/media/images/a.jpg",
        f"{on_s3.endpoint}/{BUCKET}/images/a.jpg",
    ]
    dropped = ["https://elsewhere.example/a.jpg", "//elsewhere.example/a.jpg", "data:image/png,x"]
    for src in kept:
        assert f'src="{src}"' in sanitize_html(f'<figure><img src="{src}" alt="A"></figure>')
    for src in dropped:
        assert sanitize_html(f'<p>t<img src="{src}" alt="x > y"></p>') == "<p>t</p>"


@pytest.mark.django_db
def test_with_s3_down_pages_render_and_an_upload_is_a_clear_form_error(
    on_s3, editor_client, make_article, make_image
):
    article = make_article(cover=make_image("cover.jpg"))
    before = on_s3.keys()
    on_s3.stop()
    try:
        from django.test import Client

        assert Client().get(article.get_absolute_url()).status_code == 200
        assert Client().get("/").status_code == 200
        response = upload(editor_client, title="While down")
        assert response.status_code == 200
        assert "The image storage is not answering" in response.content.decode()
        assert not Image.objects.filter(title="While down").exists()
    finally:
        on_s3.start()
    assert on_s3.keys() == []  # moto forgets on restart: `before` shows what was there
    assert before


@pytest.mark.django_db
def test_s3_failing_during_the_save_leaves_no_image(on_s3, editor_client, monkeypatch):
    def refuse(self, name, content):
        raise EndpointConnectionError(endpoint_url=on_s3.endpoint)

    monkeypatch.setattr(S3Storage, "_save", refuse)
    response = upload(editor_client, title="Half")
    assert response.status_code == 302
    page = editor_client.get(response["Location"])
    assert "The image storage is not answering" in page.content.decode()
    assert not Image.objects.filter(title="Half").exists()
    assert on_s3.keys() == []


def test_the_settings_build_the_storage_the_tests_use(on_s3):
    """NEWSROOM_S3_* become the storage options s3_storage_setting() mirrors."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSROOM_S3")}
    env.update(
        on_s3.environment(), NEWSROOM_TESTING="1", DJANGO_SETTINGS_MODULE="newsroom.settings"
    )
    script = (
        "import json, django; django.setup()\n"
        "from django.conf import settings\n"
        "o = dict(settings.STORAGES['default']['OPTIONS']); o.pop('client_config')\n"
        "s = settings.STORAGES['default']['BACKEND']\n"
        "print(json.dumps([s, o, settings.NEWSROOM_SERVE_MEDIA]))"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    backend, options, serve_media = json.loads(done.stdout)
    expected = dict(s3_storage_setting(on_s3.endpoint)["OPTIONS"])
    expected.pop("client_config")
    assert backend == "storages.backends.s3.S3Storage" and not serve_media
    assert {k: v for k, v in options.items() if k in expected} == expected


@pytest.mark.parametrize(
    ("option", "value", "named"),
    [
        ("url_protocol", "https", "NEWSROOM_S3_URL_PROTOCOL"),
        ("custom_domain", "https://media.example.com", "NEWSROOM_S3_CUSTOM_DOMAIN"),
        ("endpoint_url", "s3.example.net", "NEWSROOM_S3_ENDPOINT_URL"),
    ],
)
def test_a_mistyped_s3_setting_stops_the_server_naming_it(settings, option, value, named):
    from media.checks import check_s3

    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage_setting("http://127.0.0.1:1", url_protocol="https:"),
    }
    assert check_s3() == []
    settings.STORAGES["default"]["OPTIONS"][option] = value
    (error,) = check_s3()
    assert error.id == "media.E005" and named in error.msg
