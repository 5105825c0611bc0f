"""Styled 404 and 500 pages: the 500 page leaks nothing and needs no database."""

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.db import connection
from django.test import Client
from django.urls import path
from django.utils import translation

from newsroom import urls as site_urls

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("secret-detail: password=hunter2 at /srv/app/views.py")


# The site's own URLs (i18n_patterns may not be included), and /boom/ in every language.
urlpatterns = [
    *i18n_patterns(path("boom/", boom), prefix_default_language=False),
    *site_urls.urlpatterns,
]


@pytest.fixture
def raising_site(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def test_500_page_leaks_nothing(raising_site):
    response = raising_site.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert 'href="/"' in html
    for leak in ("secret-detail", "hunter2", "RuntimeError", "Traceback", "/srv/app"):
        assert leak not in html


def test_500_page_in_chinese(raising_site):
    response = raising_site.get("/zh-hans/boom/")
    assert "出错了" in response.content.decode()


def test_500_page_renders_without_database_or_context_processors(rf, settings):
    from django.views.defaults import server_error

    engine = settings.TEMPLATES[0]
    options = {**engine["OPTIONS"], "context_processors": ["does.not.exist"]}
    settings.TEMPLATES = [{**engine, "OPTIONS": options}]  # a copy: restored after the test
    request = rf.get("/")

    def refuse(*args, **kwargs):
        raise AssertionError("the 500 page must not touch the database")

    with connection.execute_wrapper(refuse), translation.override("en"):
        response = server_error(request)
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


def test_404_page_is_styled_with_search(client, section):
    response = client.get("/news/no-such-section/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'action="/search/"' in html
    assert 'class="site-header"' in html
    assert 'name="robots" content="noindex"' in html
    zh = client.get("/zh-hans/nope/")
    assert "页面不存在" in zh.content.decode()
    # The address decides the language: an unprefixed one is English whatever the browser asks.
    en = client.get("/nope/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "Page not found" in en.content.decode()
