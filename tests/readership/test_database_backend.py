"""The database view store: two statements per count, SQLite's lock taken by polling."""

import sqlite3
import threading
import time

import pytest
import time_machine
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from readership import counts
from readership.backends import database
from readership.models import DailyStat


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_sqlite_counts_in_one_immediate_transaction(make_article):
    """As in production (no test transaction around the request): the driver path."""
    article = make_article()
    with CaptureQueriesContext(connection) as queries:
        assert counts.count_view(article.pk) == 1
        assert counts.count_view(article.pk) == 2
        assert counts.count_view(article.pk + 1000) is None
    article.refresh_from_db()
    assert article.views == 2
    assert DailyStat.objects.get(article=article, day=timezone.localdate()).views == 2
    assert not DailyStat.objects.filter(article_id=article.pk + 1000).exists()
    verbs = [q["sql"].split()[0] for q in queries.captured_queries]
    if connection.vendor == "sqlite":
        # The day's row: inserted by the first view, updated in place by the second.
        first, second = (
            ["BEGIN", "UPDATE", "UPDATE", "INSERT", "COMMIT"],
            ["BEGIN", "UPDATE", "UPDATE", "COMMIT"],
        )
        assert verbs == first + second + ["BEGIN", "UPDATE", "COMMIT"]
        assert not connection.connection.in_transaction
    else:
        assert verbs == ["WITH", "WITH", "WITH"]


def _two_connections(tmp_path, timeout):
    path = tmp_path / "locks.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("CREATE TABLE t (n INTEGER)")
    counter = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    return holder, counter


def test_a_count_waits_for_another_workers_lock_then_takes_it(tmp_path):
    holder, counter = _two_connections(tmp_path, timeout=5)
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(0.05, holder.execute, ["COMMIT"]).start()
    started = time.monotonic()
    database.begin_immediate(counter, 5)
    waited = time.monotonic() - started
    assert counter.in_transaction and 0.04 < waited < 1
    counter.execute("COMMIT")
    # SQLite's own wait is back for every other statement on the connection.
    assert counter.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


def test_a_count_gives_up_at_the_timeout_as_sqlite_would(tmp_path):
    holder, counter = _two_connections(tmp_path, timeout=0.2)
    holder.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        database.begin_immediate(counter, 0.2)
    assert 0.2 <= time.monotonic() - started < 2
    assert not counter.in_transaction
    assert counter.execute("PRAGMA busy_timeout").fetchone()[0] == 200
    holder.execute("ROLLBACK")


@pytest.mark.django_db(transaction=True)
def test_a_failed_count_rolls_back_and_leaves_the_connection_usable(monkeypatch, make_article):
    article = make_article()
    statements = database.count_statements(connection, "views")
    monkeypatch.setitem(
        database._statements_memo,
        (connection.vendor, "views"),
        database.CountStatements(
            update=statements.update,
            daily=statements.daily,
            upsert="INSERT INTO no_such_table VALUES (%s, %s, %s)",
            combined="SELECT no_such_column FROM articles_article WHERE %s = %s",
        ),
    )
    with pytest.raises(DatabaseError):
        database.add_counts(article.pk, "views")
    monkeypatch.undo()
    article.refresh_from_db()
    assert article.views == 0  # the UPDATE before the failure was rolled back
    assert counts.count_view(article.pk) == 1


def test_a_count_is_dated_by_the_newsrooms_time_zone_and_turns_at_its_midnight(settings):
    settings.TIME_ZONE = "Asia/Shanghai"  # UTC+8: its midnight is 16:00 UTC
    with time_machine.travel("2026-11-29T15:59:59.500+00:00", tick=False):
        assert database.today().isoformat() == "2026-11-29"
    with time_machine.travel("2026-11-29T16:00:00.500+00:00", tick=False):
        assert database.today().isoformat() == "2026-11-30"
        settings.TIME_ZONE = "America/New_York"  # in the same second: not the memoised date
        assert database.today().isoformat() == "2026-11-29"


def test_later_views_of_the_day_add_to_its_row_in_place(article):
    for expected in (1, 2, 3):
        assert counts.count_view(article.pk) == expected
    (row,) = DailyStat.objects.filter(article=article)
    assert (row.day, row.views, row.qr_scans) == (database.today(), 3, 0)


def test_qr_scans_are_counted_with_their_own_daily_figure(article):
    assert counts.count_qr_scan(article.pk) == 1
    assert counts.count_qr_scan(article.pk) == 2
    article.refresh_from_db()
    assert (article.views, article.qr_scans) == (0, 2)
    assert DailyStat.objects.get(article=article).qr_scans == 2


def test_counting_a_deleted_article_returns_none(article):
    pk = article.pk
    article.delete()
    assert counts.count_view(pk) is None


def test_the_database_store_has_nothing_pending_and_nothing_to_flush(article):
    counts.count_view(article.pk)
    assert counts.pending_counts(article.pk) == {"views": 0, "qr_scans": 0}
    assert counts.flush().batches == 0
