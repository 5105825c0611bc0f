"""Beacon mode behind a shared cache (nginx, a CDN): a signed-out reader's page is the same for
everyone, so it may be kept; an editor's page and every server-mode page never are."""

import re

import pytest
from django.test import Client

from readership import beacon as beacons
from tests.support.agents import BROWSER, CHROME

SHARED = re.compile(r"^public, max-age=0, s-maxage=(\d+)$")


@pytest.fixture
def beacon_mode(settings):
    settings.NEWSROOM_VIEW_COUNTING = "beacon"


def reader_pages(article):
    return [article.get_absolute_url(), "/", article.section.get_absolute_url()]


@pytest.mark.django_db
def test_a_readers_pages_may_be_shared_and_are_the_same_for_every_reader(
    beacon_mode, settings, article
):
    first, second = Client(HTTP_USER_AGENT=CHROME), Client(HTTP_USER_AGENT=BROWSER)
    for url in reader_pages(article):
        one, two = first.get(url), second.get(url)
        assert one.status_code == 200, url
        seconds = int(SHARED.match(one["Cache-Control"]).group(1))
        assert 0 < seconds <= settings.NEWSROOM_CACHE_SECONDS
        assert one.content == two.content, url  # no per-request nonce, no per-reader figure
        assert one.cookies == {} and "nonce-" not in one["Content-Security-Policy"], url
    page = first.get(article.get_absolute_url()).content.decode()
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert all(' src="/static/' in tag or "application/ld+json" in tag for tag in scripts)


@pytest.mark.django_db
def test_an_editors_pages_are_never_shared(beacon_mode, editor_client, article):
    for url in reader_pages(article):
        assert "public" not in editor_client.get(url).get("Cache-Control", ""), url


@pytest.mark.django_db
def test_server_mode_pages_are_never_shared(article):
    for url in reader_pages(article):
        assert "public" not in Client().get(url).get("Cache-Control", ""), url


@pytest.mark.django_db
def test_the_beacons_answer_brings_the_current_figure_to_a_cached_page(beacon_mode, article):
    url = article.get_absolute_url()
    cached_page = Client().get(url).content.decode()
    assert "<span data-views>0</span>" in cached_page
    token = beacons.token_for(article.pk)
    for n in range(1, 4):
        answer = Client(HTTP_USER_AGENT=CHROME).post("/views/beacon/", {"t": token})
        assert answer.json() == {"views": n, "counted": True}
        assert answer["Cache-Control"].startswith("max-age=0")
