"""The Content-Security-Policy header (core/csp.py): django-csp's policy, built once."""

import re

import pytest
from csp.decorators import csp_update
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from core.csp import CachedPolicyCSPMiddleware


def nonce_of(response):
    return re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)


def test_each_page_gets_django_csps_policy_with_its_own_nonce(editor_client):
    url = reverse("admin:articles_article_add")  # the prose editor's import map has a nonce
    first = editor_client.get(url)
    second = editor_client.get(url)
    for response in (first, second):
        nonce = nonce_of(response)
        assert response["Content-Security-Policy"] == build_policy(nonce=nonce)
        assert f'nonce="{nonce}"' in response.content.decode()
    assert nonce_of(first) != nonce_of(second)
    assert (
        "unsafe-inline" not in first["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    )


def test_a_page_without_a_nonce_gets_the_policy_without_one(client):
    response = client.get("/robots.txt")
    assert response["Content-Security-Policy"] == build_policy()
    assert "nonce-" not in response["Content-Security-Policy"]


def test_a_changed_setting_changes_the_policy(client, settings):
    client.get("/robots.txt")  # builds and keeps the policy
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert client.get("/robots.txt")["Content-Security-Policy"] == "default-src 'none'"


@pytest.mark.parametrize("debug", [False, True])
def test_a_views_own_policy_is_built_by_django_csp(settings, debug):
    settings.DEBUG = debug

    @csp_update({"img-src": "https://img.example"})
    def view(request):
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    middleware = CachedPolicyCSPMiddleware(view)
    response = middleware(request)
    assert "img-src 'self' data: blob: https://img.example" in response["Content-Security-Policy"]


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error():
    from csp.exceptions import CSPNonceError

    request = RequestFactory().get("/")
    CachedPolicyCSPMiddleware(lambda r: HttpResponse("ok"))(request)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_img_src_follows_the_media_origin(client, settings):
    """Media elsewhere (a bucket, a CDN: here an absolute MEDIA_URL) is allowed in img-src, in
    the site's policy and in a view's own; relative media adds nothing."""
    assert build_policy() == client.get("/robots.txt")["Content-Security-Policy"]
    settings.MEDIA_URL = "https://cdn.example.net/media/"
    site = client.get("/robots.txt")["Content-Security-Policy"]
    assert "img-src 'self' data: blob: https://cdn.example.net;" in site + ";"

    @csp_update({"img-src": "https://img.example"})
    def view(request):
        return HttpResponse("ok")

    own = CachedPolicyCSPMiddleware(view)(RequestFactory().get("/"))["Content-Security-Policy"]
    assert "img-src 'self' data: blob: https://img.example https://cdn.example.net" in own
