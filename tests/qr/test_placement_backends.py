"""Placement scans in both view stores: the database at once, Redis buffered and flushed, with
readership's guarantees (no count lost or doubled), and the article counted with them."""

import pytest
from django.core.management import call_command
from django.test import Client

from qr import placement_counts, placement_stats
from qr.models import Placement, PlacementDay
from readership import counts
from readership.backends import database
from readership.backends import redis as redis_store
from readership.models import DailyStat
from tests.support.agents import PHONE

pytestmark = pytest.mark.django_db


@pytest.fixture
def canteen(article):
    return Placement.objects.create(article=article, name="Canteen board")


@pytest.fixture
def lobby(article):
    return Placement.objects.create(article=article, name="Lobby")


def stored(placement, article):
    placement.refresh_from_db()
    article.refresh_from_db()
    daily = sum(PlacementDay.objects.filter(placement=placement).values_list("scans", flat=True))
    article_daily = sum(
        DailyStat.objects.filter(article=article).values_list("qr_scans", flat=True)
    )
    return placement.scans, daily, article.qr_scans, article_daily


def test_database_store_counts_placement_and_article_together(canteen, lobby, article):
    for expected in (1, 2, 3):
        assert placement_counts.count_scan(canteen) == expected  # the article's new total
    assert stored(canteen, article) == (3, 3, 3, 3)
    assert stored(lobby, article)[:2] == (0, 0)


def test_database_store_a_deleted_placements_scan_still_counts_for_the_article(canteen, article):
    stale = Placement.objects.get(pk=canteen.pk)
    Placement.objects.filter(pk=canteen.pk).delete()
    assert placement_counts.count_scan(stale) == 1
    article.refresh_from_db()
    assert article.qr_scans == 1
    assert not PlacementDay.objects.exists()


def test_database_store_a_failed_count_writes_neither(canteen, article, monkeypatch):
    def broken(*args):
        raise database.OperationalError("disk I/O error")

    monkeypatch.setattr(database.linked, "add_to_row", broken)
    with pytest.raises(counts.NotCounted):
        placement_counts.count_scan(canteen)
    assert stored(canteen, article) == (0, 0, 0, 0)  # rolled back together
    # Through the short link the reader still gets to the article.
    response = Client(HTTP_USER_AGENT=PHONE).get(canteen.get_short_url())
    assert response.status_code == 302


def test_redis_scans_are_pending_shown_and_flushed_exactly(redis_counts, canteen, lobby, article):
    phone = Client(HTTP_USER_AGENT=PHONE)
    for _ in range(4):
        phone.get(canteen.get_short_url())
    phone.get(article.get_short_url())
    assert stored(canteen, article) == (0, 0, 0, 0)
    assert placement_counts.pending([canteen.pk, lobby.pk]) == {canteen.pk: 4, lobby.pk: 0}
    figures = {f.name: f for f in placement_stats.article_placements(article)}
    assert (figures["Canteen board"].total, figures["Canteen board"].last(7)) == (4, 4)
    assert (figures["Website"].total, figures["Website"].last(30)) == (1, 1)

    call_command("flush_views", verbosity=0)
    assert stored(canteen, article) == (4, 4, 5, 5)
    assert stored(lobby, article)[:2] == (0, 0)
    assert placement_counts.pending([canteen.pk]) == {canteen.pk: 0}
    call_command("flush_views", verbosity=0)  # nothing twice
    assert stored(canteen, article) == (4, 4, 5, 5)


def test_redis_a_batch_is_applied_once_even_when_replayed(redis_counts, settings, canteen, article):
    buffer = redis_store.RedisBuffer(settings.NEWSROOM_VIEW_REDIS_URL)
    for _ in range(3):
        buffer.incr(
            article.pk, "qr_scans", linked_row=(placement_counts.PLACEMENT_SCANS, canteen.pk)
        )
    batch = redis_store.parse_batch(redis_counts.hgetall(buffer.pending_key))
    assert sum(batch.linked.values()) == 6  # the total and the day's
    assert database.apply_batch("replayed-batch", batch) is not None
    assert database.apply_batch("replayed-batch", batch) is None  # a racing or revived flusher
    assert stored(canteen, article) == (3, 3, 3, 3)


def test_redis_counts_of_a_placement_deleted_before_the_flush_are_dropped(
    redis_counts, canteen, lobby, article
):
    placement_counts.count_scan(canteen)
    placement_counts.count_scan(lobby)
    Placement.objects.filter(pk=lobby.pk).delete()
    call_command("flush_views", verbosity=0)
    assert stored(canteen, article) == (1, 1, 2, 2)
    assert not PlacementDay.objects.filter(placement_id=lobby.pk).exists()


def test_redis_down_counts_go_to_the_database(settings, canteen, article):
    settings.NEWSROOM_VIEW_STORE = "redis"
    settings.NEWSROOM_VIEW_REDIS_URL = "redis://127.0.0.1:18199/0"  # nothing listens there
    assert placement_counts.count_scan(canteen) == 1
    assert placement_counts.pending([canteen.pk]) == {canteen.pk: 0}
    assert stored(canteen, article) == (1, 1, 1, 1)


def test_an_unknown_linked_code_in_a_batch_is_logged_and_ignored(caplog):
    batch = redis_store.parse_batch({b"z:1": b"3", b"q:1": b"2", b"p:1:20261205": b"1"})
    assert batch.totals == {(1, "qr_scans"): 2}
    assert list(batch.linked.values()) == [1]
    assert "malformed" in caplog.text
