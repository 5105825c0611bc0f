"""Beacon mode: the page counts itself with a same-origin POST carrying a signed token."""

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from articles.models import Article
from readership import beacon as beacons
from tests.readership.helpers import BOTS, daily_views, views
from tests.support.agents import CHROME


@pytest.fixture
def beacon(settings):
    settings.NEWSROOM_VIEW_COUNTING = "beacon"
    return "/views/beacon/"


def test_beacon_mode_page_does_not_count_but_carries_a_signed_token(beacon, reader, article):
    response = reader.get(article.get_absolute_url())
    assert views(article) == 0
    token = beacons.token_for(article.pk)
    assert f'data-token="{token}"'.encode() in response.content
    assert b'src="/static/js/beacon.js"' in response.content
    response = reader.post(beacon, {"t": token})
    assert response.status_code == 200
    assert response.json() == {"views": 1, "counted": True}
    assert response["Cache-Control"].startswith("max-age=0")
    assert views(article) == 1 and daily_views(article) == 1
    # Same reader, same window: not again.
    assert reader.post(beacon, {"t": token}).json() == {"views": 1, "counted": False}


def test_server_mode_has_no_beacon(reader, article):
    response = reader.get(article.get_absolute_url())
    assert b"beacon.js" not in response.content
    token = beacons.token_for(article.pk)
    assert reader.post("/views/beacon/", {"t": token}).status_code == 404


def test_beacon_signature_for_another_article_is_refused(beacon, reader, make_article):
    mine, other = make_article(), make_article()
    token = beacons.token_for(mine.pk)
    _value, sig = token.rsplit(":", 1)
    for forged in (f"{other.pk}:{sig}", str(other.pk), "", "junk:junk"):
        response = reader.post(beacon, {"t": forged})
        assert response.status_code == 400, forged
        assert response.json() == {"error": "bad token"}
    assert views(other) == 0 and views(mine) == 0


def test_beacon_applies_the_same_rules(beacon, editor, article):
    token = beacons.token_for(article.pk)
    Client(HTTP_USER_AGENT=BOTS["link preview"]).post(beacon, {"t": token})
    Client().post(beacon, {"t": token})
    Client(HTTP_USER_AGENT=CHROME).post(beacon, {"t": token}, HTTP_SEC_PURPOSE="prefetch")
    staff = Client(HTTP_USER_AGENT=CHROME)
    staff.force_login(editor)
    staff.post(beacon, {"t": token})
    assert views(article) == 0


def test_a_beacon_that_does_not_count_answers_with_the_current_total(beacon, article):
    type(article).objects.filter(pk=article.pk).update(views=41)
    token = beacons.token_for(article.pk)
    response = Client(HTTP_USER_AGENT=BOTS["monitor"]).post(beacon, {"t": token})
    assert response.json() == {"views": 41, "counted": False}


def test_beacon_refuses_get_cross_site_and_drafts(beacon, reader, make_article):
    live, draft = make_article(), make_article(status=Article.Status.DRAFT)
    assert reader.get(beacon).status_code == 405
    token = beacons.token_for(live.pk)
    assert reader.post(beacon, {"t": token}, HTTP_SEC_FETCH_SITE="cross-site").status_code == 403
    assert reader.post(beacon, {"t": token}, HTTP_ORIGIN="https://evil.example").status_code == 403
    assert reader.post(beacon, {"t": beacons.token_for(draft.pk)}).status_code == 404
    ok = reader.post(beacon, {"t": token}, HTTP_SEC_FETCH_SITE="same-origin")
    assert ok.status_code == 200
    assert views(live) == 1 and views(draft) == 0


def test_beacon_is_rate_limited_per_cookie(beacon, reader, make_article):
    articles = [make_article() for _ in range(beacons.RATE_PER_MINUTE + 1)]
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        codes = [reader.post(beacon, {"t": beacons.token_for(a.pk)}).status_code for a in articles]
        assert codes[:-1] == [200] * beacons.RATE_PER_MINUTE
        assert codes[-1] == 429
        refused = reader.post(beacon, {"t": beacons.token_for(articles[-1].pk)})
        assert refused["Retry-After"] == "60"
        assert refused.json() == {"error": "too many beacons, slow down"}
        traveller.shift(61)
        assert reader.post(beacon, {"t": beacons.token_for(articles[-1].pk)}).status_code == 200
