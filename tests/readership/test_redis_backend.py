"""The Redis view store: counts pending in Redis, flushed in batches applied exactly once."""

import logging
import time

import pytest
from django.core.management import call_command
from django.test import Client

from articles.models import Article
from readership import counts
from readership.backends import database
from readership.backends import redis as redis_store
from tests.readership.helpers import BOTS, daily_views, shown_views, views
from tests.support.agents import CHROME


def test_redis_counts_pending_and_flush_moves_them(settings, redis_counts, reader, article):
    settings.NEWSROOM_VIEW_FLUSH = 0  # no automatic flush: see what is pending
    for _ in range(3):
        response = Client(HTTP_USER_AGENT=CHROME).get(article.get_absolute_url())
    assert shown_views(response) == 3
    assert views(article) == 0
    assert counts.pending_counts(article.pk) == {"views": 3, "qr_scans": 0}
    counts.count_qr_scan(article.pk)
    call_command("flush_views", verbosity=0)
    article.refresh_from_db()
    assert (article.views, article.qr_scans) == (3, 1)
    assert daily_views(article) == 3
    assert counts.pending_counts(article.pk) == {"views": 0, "qr_scans": 0}
    assert shown_views(Client(HTTP_USER_AGENT=CHROME).get(article.get_absolute_url())) == 4


def test_redis_url_alone_makes_the_cache_not_the_view_store(settings, article):
    """REDIS_URL chooses the cache; views stay in the database unless NEWSROOM_VIEW_STORE says."""
    settings.REDIS_URL = settings.NEWSROOM_VIEW_REDIS_URL = "redis://127.0.0.1:8199/0"
    assert counts.count_view(article.pk) == 1
    assert views(article) == 1
    assert isinstance(counts.store(), database.DatabaseStore)


def test_redis_pages_read_the_stored_total_once_per_flush(
    settings, redis_counts, article, django_assert_num_queries
):
    """The stored total is read again only when a flush or a reset changed it (in any process:
    the generation is in Redis), so a counted view of a cached page costs no query."""
    settings.NEWSROOM_VIEW_FLUSH = 0
    url = article.get_absolute_url()
    assert shown_views(Client(HTTP_USER_AGENT=CHROME).get(url)) == 1  # renders and caches
    with django_assert_num_queries(0):
        assert shown_views(Client(HTTP_USER_AGENT=CHROME).get(url)) == 2
        assert shown_views(Client(HTTP_USER_AGENT=BOTS["command line"]).get(url)) == 2
    # As another server's flush_views would.
    redis_store.RedisBuffer(settings.NEWSROOM_VIEW_REDIS_URL).flush()
    assert views(article) == 2
    with django_assert_num_queries(1):
        assert shown_views(Client(HTTP_USER_AGENT=CHROME).get(url)) == 3
    with django_assert_num_queries(0):
        assert shown_views(Client(HTTP_USER_AGENT=CHROME).get(url)) == 4
    call_command("reset_views", str(article.pk), "--noinput", verbosity=0)
    assert shown_views(Client(HTTP_USER_AGENT=CHROME).get(url)) == 1


def test_redis_a_change_behind_the_generation_shows_within_max_age(
    settings, redis_counts, monkeypatch, article
):
    settings.NEWSROOM_VIEW_FLUSH = 0
    monkeypatch.setattr(redis_store.StoredTotals, "MAX_AGE", 0.05)
    url = article.get_absolute_url()
    assert shown_views(Client(HTTP_USER_AGENT=CHROME).get(url)) == 1
    Article.objects.filter(pk=article.pk).update(views=100)  # e.g. counted while Redis was away
    time.sleep(0.1)
    assert shown_views(Client(HTTP_USER_AGENT=CHROME).get(url)) == 102


def test_redis_app_flushes_on_its_own(settings, redis_counts, article):
    settings.NEWSROOM_VIEW_FLUSH = 10
    assert counts.count_view(article.pk) == 1
    assert views(article) == 1  # flushed by the count itself: nobody flushed in 10 s
    assert counts.count_view(article.pk) == 2
    assert views(article) == 1  # throttled


def test_flush_killed_before_commit_loses_nothing(settings, redis_counts, monkeypatch, article):
    settings.NEWSROOM_VIEW_FLUSH = 0
    for _ in range(5):
        counts.count_view(article.pk)

    def die(*args, **kwargs):
        raise SystemExit("killed")

    monkeypatch.setattr(database.AppliedBatch.objects, "create", die)
    with pytest.raises(SystemExit):
        counts.flush()
    monkeypatch.undo()
    assert views(article) == 0
    counts.count_view(article.pk)
    counts.flush()
    assert views(article) == 6 and daily_views(article) == 6


def test_flush_killed_after_commit_doubles_nothing(settings, redis_counts, monkeypatch, article):
    settings.NEWSROOM_VIEW_FLUSH = 0
    for _ in range(5):
        counts.count_view(article.pk)
    buffer = counts.store().buffer
    real_pipeline = buffer.client.pipeline
    calls = []

    def pipeline_then_die(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:  # the delete of the applied batch
            raise SystemExit("killed")
        return real_pipeline(*args, **kwargs)

    monkeypatch.setattr(buffer.client, "pipeline", pipeline_then_die)
    with pytest.raises(SystemExit):
        buffer.flush()
    monkeypatch.undo()
    assert views(article) == 5
    assert redis_counts.smembers(buffer.batches_key)  # the batch is still there
    counts.flush()
    assert views(article) == 5 and daily_views(article) == 5
    assert not redis_counts.smembers(buffer.batches_key)


def test_a_malformed_pending_count_is_logged_and_skipped(caplog):
    data = {b"v:7": b"2", b"v:7:20261129": b"2", b"x:7": b"1", b"v:seven": b"1", b"q:7:1:2": b"1"}
    with caplog.at_level(logging.ERROR, "readership.backends.redis"):
        batch = redis_store.parse_batch(data)
    assert batch.totals == {(7, "views"): 2}
    assert [(a, d.isoformat(), f) for (a, d, f) in batch.days] == [(7, "2026-11-29", "views")]
    assert len([r for r in caplog.records if "malformed" in r.getMessage()]) == 3


def test_redis_down_falls_back_to_the_database_and_logs_once(settings, caplog, article):
    settings.NEWSROOM_VIEW_STORE = "redis"
    settings.NEWSROOM_VIEW_REDIS_URL = "redis://127.0.0.1:8199/0"  # nothing listens there
    with caplog.at_level(logging.WARNING, logger="readership.backends.redis"):
        for expected in range(1, 6):
            redis_store.health.retry_now()  # retry Redis every time: still one log line
            response = Client(HTTP_USER_AGENT=CHROME).get(article.get_absolute_url())
            assert response.status_code == 200
            assert shown_views(response) == expected
    assert views(article) == 5
    assert len([r for r in caplog.records if "Redis unreachable" in r.message]) == 1
