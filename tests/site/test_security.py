"""Security defaults: Host header, absolute URLs, CSRF, admin path, login lockout, limits."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ADMIN = f"/{django_settings.NEWSROOM_ADMIN_PATH}"
LOGIN = f"{ADMIN}login/"
SITE = "https://news.example.org"
# Namespaces and well-known vocabularies that are not links of ours.
FOREIGN = re.compile(
    r"^https?://(www\.w3\.org|schema\.org|www\.sitemaps\.org|purl\.org|"
    r"www\.google\.com/schemas|backend\.userland\.com|search\.yahoo\.com|json-schema\.org)"
)
ABSOLUTE = re.compile(r"""https?://[^\s"'<>)\\]+""")


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    """Dozens of failed sign-ins: hash with MD5 here so the lockout tests take seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def public_paths(article):
    """Every page of the public surface that carries absolute URLs."""
    section = article.section
    candidates = [
        "/",
        section.get_absolute_url(),
        article.get_absolute_url(),
        article.get_absolute_url() + "qr.svg",
        article.get_absolute_url() + "qr.png",
        f"/s/{article.short_code}/",
        "/feed/",
        "/feed/atom/",
        f"{section.get_absolute_url()}feed/",
        "/sitemap.xml",
        "/robots.txt",
        "/search/?q=Riverside",
        "/sitemap-sections.xml",
        "/sitemap-articles.xml",
        "/sitemap-news.xml",
        "/api/v1/articles",
        f"/api/v1/articles/{article.pk}",
        f"/api/v1/sections/{section.slug}/articles/{article.slug}",
        "/api/v1/sections",
        "/api/v1/openapi.json",
    ]
    return candidates


# --- Host header ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["evil.example.com", "news.example.org.evil.com", "localhost:80@evil.com", "[::2]"]
)
def test_host_not_allowed_is_400(client, article, host):
    for path in public_paths(article):
        response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 400, (path, response.status_code)
        assert b"evil" not in response.content


def test_forwarded_host_is_ignored(client, article):
    response = client.get(
        article.get_absolute_url(), HTTP_X_FORWARDED_HOST="evil.example.com", HTTP_HOST="localhost"
    )
    assert response.status_code == 200
    assert b"evil.example.com" not in response.content


def test_absolute_urls_come_from_site_url_not_host(client, settings, article, make_image):
    """An allowed but different Host (localhost) never appears in any absolute URL."""
    settings.SITE_URL = SITE
    article.cover = make_image("cover.jpg")
    article.save()
    paths = public_paths(article)
    assert len(paths) >= 5, paths
    seen_ours = 0
    for path in paths:
        response = client.get(path, HTTP_HOST="localhost")
        assert response.status_code in (200, 301, 302), (path, response.status_code)
        location = response.get("Location", "")
        assert "localhost" not in location and "testserver" not in location, (path, location)
        if path.endswith(".png"):
            continue
        text = b"".join(response.streaming_content) if response.streaming else response.content
        text = text.decode("utf-8", "replace").replace("\\/", "/")
        assert "//localhost" not in text and "//testserver" not in text, path
        for url in ABSOLUTE.findall(text):
            if FOREIGN.match(url):
                continue
            assert url.startswith(SITE), (path, url)
            seen_ours += 1
    assert seen_ours >= 10  # canonical, QR short link, feeds, sitemap...


def test_canonical_and_qr_link_use_site_url(client, settings, article):
    settings.SITE_URL = SITE
    html = client.get(article.get_absolute_url(), HTTP_HOST="127.0.0.1").content.decode()
    assert f'<link rel="canonical" href="{SITE}{article.get_absolute_url()}">' in html
    assert f'href="{SITE}/s/{article.short_code}/"' in html


# --- CSRF -------------------------------------------------------------------------------------


def test_admin_login_requires_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    data = {"username": "editor", "password": "pw-editor-123", "next": ADMIN}
    response = client.post(LOGIN, data)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session

    client.get(LOGIN)
    data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    response = client.post(LOGIN, data)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_admin_forms_require_csrf_token(editor, section):
    from articles.models import Section

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    url = f"{ADMIN}articles/section/{section.pk}/change/"
    data = {"name": "Hijacked", "slug": section.slug, "position": 1}
    assert client.post(url, data).status_code == 403
    assert client.post(f"{ADMIN}articles/section/add/", data).status_code == 403
    assert client.post(f"{ADMIN}logout/").status_code == 403
    assert Section.objects.get(pk=section.pk).name == section.name
    assert not Section.objects.filter(name="Hijacked").exists()


def test_csrf_failure_is_a_page_not_an_error(editor):
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert b"CSRF" in response.content


def test_cookies_are_hardened(client, editor):
    client.get(LOGIN)
    assert client.cookies["csrftoken"]["samesite"] == "Lax"
    response = client.post(LOGIN, {"username": "editor", "password": "pw-editor-123"})
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_security_headers(client, article):
    response = client.get(article.get_absolute_url())
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "strict-origin" in response["Referrer-Policy"]
    csp = response["Content-Security-Policy"]
    script_src = csp.split("script-src", 1)[1].split(";")[0]
    assert "'self'" in script_src
    assert "unsafe-inline" not in script_src and "*" not in script_src
    assert "data:" not in script_src and "unsafe-eval" not in script_src
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp


# --- Admin path -------------------------------------------------------------------------------


def _urls_in_subprocess(admin_path):
    env = {
        **os.environ,
        "NEWSROOM_TESTING": "1",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "NEWSROOM_ADMIN_PATH": admin_path,
    }
    env.pop("DATABASE_URL", None)
    code = (
        "import django; django.setup()\n"
        "from django.urls import reverse, resolve, Resolver404\n"
        "print(reverse('admin:index'))\n"
        "print(reverse('admin:login'))\n"
        "try:\n    resolve('/admin/'); print('admin-routed')\n"
        "except Resolver404:\n    print('admin-404')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_admin_path_is_settable():
    assert _urls_in_subprocess("backoffice-7f3a") == [
        "/backoffice-7f3a/",
        "/backoffice-7f3a/login/",
        "admin-404",
    ]
    assert _urls_in_subprocess("/desk/room/") == ["/desk/room/", "/desk/room/login/", "admin-404"]


def test_admin_path_default():
    assert _urls_in_subprocess("admin/")[:2] == ["/admin/", "/admin/login/"]


# --- Login rate limit (django-axes) ---------------------------------------------------------


def _fail(client, username="editor", n=1, **extra):
    for _ in range(n):
        response = client.post(LOGIN, {"username": username, "password": "wrong"}, **extra)
    return response


def test_login_locked_after_ten_failures(client, editor):
    assert django_settings.AXES_FAILURE_LIMIT == 10
    response = _fail(client, n=9)
    assert response.status_code == 200  # the form again, with its error
    response = _fail(client)
    assert response.status_code == 429
    # Locked: even the right password is refused, with a clear page rather than an error.
    response = client.post(LOGIN, {"username": "editor", "password": "pw-editor-123"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    assert "Too many sign-in attempts" in html
    assert "Please try again in 1\xa0hour." in html
    assert '<link rel="stylesheet"' in html  # a page of the site, not a bare line


def test_lockout_is_per_address_and_per_account(editor, writer):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    _fail(attacker, "nobody", n=10)
    # The attacker's address is locked for every account...
    assert (
        attacker.post(LOGIN, {"username": "writer", "password": "pw-writer-123"}).status_code == 429
    )
    # ...while the editor at another address signs in normally.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.post(LOGIN, {"username": "editor", "password": "pw-editor-123"}).status_code == 302
    # Guessing one account's password from many addresses locks that account.
    for n in range(10):
        _fail(Client(REMOTE_ADDR=f"192.0.2.{n + 1}"), "writer")
    late = Client(REMOTE_ADDR="192.0.2.200")
    assert late.post(LOGIN, {"username": "writer", "password": "pw-writer-123"}).status_code == 429


def test_lockout_ends_after_the_cool_off(client, editor):
    _fail(client, n=10)
    assert (
        client.post(LOGIN, {"username": "editor", "password": "pw-editor-123"}).status_code == 429
    )
    with time_machine.travel(timedelta(hours=1, minutes=1)):
        response = client.post(LOGIN, {"username": "editor", "password": "pw-editor-123"})
        assert response.status_code == 302


def test_success_resets_the_failure_count(client, editor):
    _fail(client, n=9)
    assert (
        client.post(LOGIN, {"username": "editor", "password": "pw-editor-123"}).status_code == 302
    )
    client.logout()
    assert _fail(client, n=9).status_code == 200


# --- Request limits ---------------------------------------------------------------------------


def test_request_limits_are_set():
    assert 0 < django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert 0 < django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert 0 < django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 10_000
    assert 0 < django_settings.DATA_UPLOAD_MAX_NUMBER_FILES <= 100


def test_too_large_post_is_400(editor):
    client = Client(raise_request_exception=False)
    big = "x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)
    response = client.post(LOGIN, {"username": "editor", "password": big})
    assert response.status_code == 400
    assert b"Bad request" in response.content
    # Logged in, a too-large admin form is refused the same way.
    client.force_login(editor)
    response = client.post(f"{ADMIN}articles/section/add/", {"name": "n", "description": big})
    assert response.status_code == 400


def test_too_many_fields_is_400(client):
    client.raise_request_exception = False
    fields = {f"f{n}": "1" for n in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    assert client.post(LOGIN, fields).status_code == 400
    query = "&".join(f"f{n}=1" for n in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    assert client.get(f"/search/?{query}&q=x").status_code in (200, 400)


def test_too_many_files_is_400(editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client(raise_request_exception=False)
    client.force_login(editor)
    files = {
        f"file{n}": SimpleUploadedFile(f"f{n}.txt", b"x")
        for n in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    }
    response = client.post(f"{ADMIN}media/image/add/", files)
    assert response.status_code == 400
