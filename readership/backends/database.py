"""Counting in the database: exact at once, with no lost update on any number of workers.

One short transaction of two statements: an UPDATE of the article's total (`col = col + 1`,
RETURNING the new value) and an upsert of its (article, day) row. PostgreSQL runs both as one
statement; SQLite updates the day's row in place and inserts it only for the day's first view,
under BEGIN IMMEDIATE (`begin_immediate`). Also here: applying a batch of counts the Redis
buffer took (`apply_batch`), recorded in the ledger so that it is applied exactly once.
"""

import dataclasses
import functools
import logging
import sqlite3
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import (
    DEFAULT_DB_ALIAS,
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    connections,
    transaction,
)
from django.utils import timezone

from articles.models import Article
from readership.backends import linked
from readership.backends.base import COUNTED_FIELDS, FlushResult, NotCounted
from readership.models import AppliedBatch, DailyStat

logger = logging.getLogger(__name__)

LEDGER_DAYS = 7
# A count holds the write lock only briefly, so a waiting count polls for it this often; after
# LOCK_POLL_FAST seconds of waiting (a long write elsewhere) it polls every LOCK_POLL_SLOW.
LOCK_POLL_SECONDS = 0.0001
LOCK_POLL_FAST = 0.01
LOCK_POLL_SLOW = 0.001


class DatabaseStore:
    """The default view store (NEWSROOM_VIEW_STORE=database): nothing is ever pending."""

    def add(self, article_id, field, db_total=None):
        try:
            return add_counts(article_id, field)
        except (OperationalError, InterfaceError) as exc:
            logger.warning("One %s of article %s not counted: %s", field, article_id, exc)
            raise NotCounted(field) from exc

    def add_linked(self, counter, article_id, row_id, db_total=None):
        try:
            return add_linked_counts(counter, article_id, row_id)
        except (OperationalError, InterfaceError) as exc:
            logger.warning(
                "One %s of %s %s not counted: %s", counter.column, counter.code, row_id, exc
            )
            raise NotCounted(counter.column) from exc

    def pending_rows(self, counter, row_ids):
        return dict.fromkeys(row_ids, 0)

    def current(self, article_id, field, db_total=None):
        if db_total is None:
            db_total = stored_total(article_id, field) or 0
        return db_total

    def pending(self, article_id):
        return dict.fromkeys(COUNTED_FIELDS, 0)

    def flush(self):
        return FlushResult()

    def reset(self, article_id, fields):
        reset_counts(article_id, fields)


def today():
    """The newsroom's date (TIME_ZONE) for a count. Every counted view needs it, so it is
    worked out once a second (days start on a second), not once a view."""
    return _date_at(int(time.time()), settings.TIME_ZONE)


@functools.lru_cache(maxsize=1)
def _date_at(second, time_zone):
    """The date at `second`; `time_zone` (settings.TIME_ZONE) is part of the memo's key."""
    moment = datetime.fromtimestamp(second, UTC)
    return timezone.localdate(moment, timezone=timezone.get_default_timezone())


def stored_total(article_id, field):
    """The article's stored counter, or None. Plain SQL: on a page served from the cache this
    read is the request's only query, and building it with the ORM cost more than running it."""
    if field not in COUNTED_FIELDS:
        raise ValueError(f"not a counter: {field}")
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {qn(field)} FROM {qn(Article._meta.db_table)} WHERE id = %s",  # noqa: S608
            [article_id],
        )
        row = cursor.fetchone()
    return None if row is None else row[0]


def add_counts(article_id, field, amount=1, day=None):
    """Add `amount` to `field` on the article and on its row for `day`; return the new total.

    Atomic, and None when the article no longer exists. PostgreSQL: one statement, so one
    round trip in autocommit. SQLite outside any atomic block: `_sqlite_add`.
    """
    if field not in COUNTED_FIELDS:
        raise ValueError(f"not a counter: {field}")
    day = day or today()
    conn = connections[DEFAULT_DB_ALIAS]
    statements = count_statements(conn, field)
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute(statements.combined, [amount, article_id, day, amount, article_id])
            row = cursor.fetchone()
        return None if row is None else row[0]
    if conn.vendor == "sqlite" and not (conn.in_atomic_block or conn.execute_wrappers):
        return _sqlite_add(conn, statements, amount, article_id, day)
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        cursor.execute(statements.update, [amount, article_id])
        row = cursor.fetchone()
        if row is None:
            return None
        cursor.execute(statements.upsert, [article_id, day, amount])
    return row[0]


def add_linked_counts(counter, article_id, row_id, amount=1, day=None):
    """Count on the article (its `counter.article_field`) and on the linked row, in one
    transaction (BEGIN IMMEDIATE on SQLite); the article's new total, None if it is gone."""
    day = day or today()
    with transaction.atomic():
        total = add_counts(article_id, counter.article_field, amount, day)
        if total is not None:
            linked.add_to_row(counter, row_id, amount, day)
    return total


@dataclass(frozen=True)
class CountStatements:
    update: str  # the article's total, RETURNING the new value
    upsert: str  # the (article, day) row
    combined: str  # PostgreSQL: both in one statement
    daily: str  # SQLite: the (article, day) row when it exists


_statements_memo = {}


def count_statements(conn, field):
    """The statements that count `field`, built once per backend. Identifiers come from the
    model and are quoted by the backend; values are always bound."""
    memo_key = (conn.vendor, field)
    if memo_key not in _statements_memo:
        qn = conn.ops.quote_name
        articles, daily, col = qn(Article._meta.db_table), qn(DailyStat._meta.db_table), qn(field)
        other = qn("qr_scans" if field == "views" else "views")
        update = f"UPDATE {articles} SET {col} = {col} + %s WHERE id = %s RETURNING {col}"  # noqa: S608
        on_conflict = (
            f"ON CONFLICT (article_id, day) DO UPDATE SET {col} = {daily}.{col} + excluded.{col}"
        )
        insert = f"INSERT INTO {daily} (article_id, day, {col}, {other}) "
        _statements_memo[memo_key] = CountStatements(
            update=update,
            daily=f"UPDATE {daily} SET {col} = {col} + %s WHERE article_id = %s AND day = %s",  # noqa: S608
            upsert=f"{insert} VALUES (%s, %s, %s, 0) {on_conflict}",
            combined=(
                f"WITH counted AS ({update}), daily AS ({insert} "  # noqa: S608
                f"SELECT id, %s, %s, 0 FROM {articles} WHERE id = %s "
                f"AND EXISTS (SELECT 1 FROM counted) {on_conflict}) SELECT {col} FROM counted"
            ),
        )
    return _statements_memo[memo_key]


@functools.lru_cache(maxsize=32)
def _qmark(statement):
    """A statement with Django's %s placeholders as the sqlite3 driver's ?."""
    return statement.replace("%s", "?")


def _sqlite_add(conn, statements, amount, article_id, day):
    """add_counts on SQLite outside any atomic block: one short IMMEDIATE transaction on the
    driver's connection, without Django's transaction and cursor wrappers lengthening the time
    the write lock is held. Errors become Django's (OperationalError when busy past the
    timeout); the statements are logged where Django logs queries (tests' query counts).

    The day's row is updated in place when it exists, as it does for all views of an article
    but its first of the day: cheaper under the lock than the upsert's attempted INSERT.
    """
    conn.ensure_connection()
    raw = conn.connection
    update, daily, upsert = (
        _qmark(statements.update),
        _qmark(statements.daily),
        _qmark(statements.upsert),
    )
    executed = ["BEGIN IMMEDIATE", update]
    started = time.monotonic()
    with conn.wrap_database_errors:
        try:
            begin_immediate(raw, conn.settings_dict["OPTIONS"].get("timeout", 5.0))
            row = raw.execute(update, (amount, article_id)).fetchone()
            if row is not None:
                day = day.isoformat()
                executed.append(daily)
                if raw.execute(daily, (amount, article_id, day)).rowcount == 0:
                    executed.append(upsert)
                    raw.execute(upsert, (article_id, day, amount))
            raw.execute("COMMIT")
        except Exception:
            if raw.in_transaction:
                raw.execute("ROLLBACK")
            raise
    if conn.queries_logged:
        executed.append("COMMIT")
        took = f"{(time.monotonic() - started) / len(executed):.3f}"
        conn.queries_log.extend({"sql": sql, "time": took} for sql in executed)
    return None if row is None else row[0]


def begin_immediate(raw, timeout):
    """BEGIN IMMEDIATE on a driver connection, waiting at most `timeout` seconds for the lock.

    SQLite's own busy handler sleeps in growing steps, far longer than another worker holds
    the lock for a count; polling often instead takes the lock soon after it is released.
    Raises sqlite3.OperationalError ("database is locked") past the timeout, as SQLite would.
    """
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        started = time.monotonic()
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                waited = time.monotonic() - started
                if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or waited >= timeout:
                    raise
                time.sleep(LOCK_POLL_SECONDS if waited < LOCK_POLL_FAST else LOCK_POLL_SLOW)
    finally:
        raw.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")


def reset_counts(article_id, fields):
    """Set the article's counters in `fields` to zero, on the article and its daily rows."""
    with transaction.atomic():
        Article.objects.filter(pk=article_id).update(**dict.fromkeys(fields, 0))
        DailyStat.objects.filter(article_id=article_id).update(**dict.fromkeys(fields, 0))
        DailyStat.objects.filter(article_id=article_id, views=0, qr_scans=0).delete()


# --- Batches from the Redis buffer, applied once ------------------------------------------


@dataclass
class Batch:
    """Counts taken from Redis in one go: {(article_id, field): n} for the totals,
    {(article_id, day, field): n} for the daily rows, and {(code, row_id, day or None): n}
    for linked counters (`linked.py`)."""

    totals: dict
    days: dict
    linked: dict = dataclasses.field(default_factory=dict)

    def article_ids(self):
        return {key[0] for key in self.totals} | {key[0] for key in self.days}


@dataclass
class Tally:
    """Views and QR scans to add to one article (or one article's day)."""

    views: int = 0
    qr_scans: int = 0

    def add(self, field, n):
        setattr(self, field, getattr(self, field) + n)


def apply_batch(name, batch):
    """Apply `batch` in one transaction that records `name` in the ledger (AppliedBatch).

    None if the ledger has it already: a racing flusher applied it, or this one did and died
    before deleting it from Redis. Counts of articles deleted meanwhile are dropped.
    """
    result = FlushResult(batches=1)
    with transaction.atomic():
        try:
            with transaction.atomic():
                AppliedBatch.objects.create(name=name)
        except IntegrityError:
            return None
        live = set(Article.objects.filter(pk__in=batch.article_ids()).values_list("pk", flat=True))
        per_article, per_day = defaultdict(Tally), defaultdict(Tally)
        for (article_id, field), n in batch.totals.items():
            if article_id in live:
                per_article[article_id].add(field, n)
            else:
                result.dropped += n
        for (article_id, day, field), n in batch.days.items():
            if article_id in live:
                per_day[(article_id, day)].add(field, n)
        _write_tallies(per_article, per_day)
        linked.write_rows(batch.linked)
    for article_id, tally in per_article.items():
        result.views += tally.views
        result.qr_scans += tally.qr_scans
        result.articles.add(article_id)
    return result


def _write_tallies(per_article, per_day):
    qn = connection.ops.quote_name
    articles, daily = qn(Article._meta.db_table), qn(DailyStat._meta.db_table)
    with connection.cursor() as cursor:
        if per_article:
            cursor.executemany(
                f"UPDATE {articles} SET views = views + %s, qr_scans = qr_scans + %s "  # noqa: S608
                "WHERE id = %s",
                [(t.views, t.qr_scans, article_id) for article_id, t in per_article.items()],
            )
        if per_day:
            cursor.executemany(
                f"INSERT INTO {daily} (article_id, day, views, qr_scans) "  # noqa: S608
                "VALUES (%s, %s, %s, %s) ON CONFLICT (article_id, day) DO UPDATE SET "
                f"views = {daily}.views + excluded.views, "
                f"qr_scans = {daily}.qr_scans + excluded.qr_scans",
                [(a, d, t.views, t.qr_scans) for (a, d), t in per_day.items()],
            )


def purge_ledger():
    """Forget applied batches older than LEDGER_DAYS: no flusher holds one that long."""
    cutoff = timezone.now() - timedelta(days=LEDGER_DAYS)
    AppliedBatch.objects.filter(applied_at__lt=cutoff).delete()
