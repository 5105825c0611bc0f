"""View and QR-scan counting: which requests count, and the two backends that count them.

Who counts (`should_count`, `is_countable_client`): a GET from a person's browser; not HEAD,
not a bot, crawler, link preview or monitor (`bots.py`), not a browser prefetch or prerender,
not logged-in staff (unless NEWSROOM_VIEW_COUNT_STAFF), not an editor's preview. The
repeat-visit window (one signed cookie) is applied on top of this by `counting.py`.

Where counting happens: the article view calls `counting.views_for_page()` before the page,
rendered or from the cache, is filled in and sent (`views/reader.py`, `article_detail`), so a
page served from the cache still counts; in NEWSROOM_VIEW_COUNTING=beacon mode the page
counts through the POST endpoint in `views/beacon.py` instead.

Backends:
- database (default): one short transaction of two statements, an UPDATE of the article's
  total (`col = col + 1`, RETURNING the new value) and an upsert of its (article, day) row
  (on SQLite an UPDATE in place, and the INSERT only for the day's first view).
  Exact at once, no lost update on any number of workers (SQLite runs it under BEGIN IMMEDIATE,
  polling a busy lock every 100 µs: `begin_immediate`).
- Redis (when REDIS_URL is set): one round trip, a server-side script of two HINCRBYs (the
  article's pending total and its day's, atomically) in one hash. `flush()` (the
  `flush_views` command, and the app itself at most every NEWSROOM_VIEW_FLUSH seconds)
  RENAMEs that hash to a batch key atomically and applies each batch in one database
  transaction that also records the batch name in the ledger (`articles.ledger`), then
  deletes the batch. A flusher that dies before the commit
  leaves the batch for the next flush; one that dies after it leaves a batch the ledger marks as
  applied: nothing is lost, nothing is counted twice, and two racing flushers are serialised by
  the ledger's unique name. Readers see the database total plus the pending count; each
  process reads that total once per flush (`StoredTotals`), not on every page.
  If Redis is unreachable, counts go to the database backend (logged at most once a minute, and
  Redis is not retried for a few seconds): no reader ever sees an error.
"""

import functools
import logging
import sqlite3
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import redis
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
from core import process_state
from readership import bots
from readership.models import AppliedBatch, DailyStat

logger = logging.getLogger(__name__)

COUNTED_FIELDS = ("views", "qr_scans")
FIELD_CODES = {"views": "v", "qr_scans": "q"}
CODE_FIELDS = {code: name for name, code in FIELD_CODES.items()}
# Headers browsers send on speculative loads: Chrome/Edge (Sec-Purpose, Purpose), old Firefox
# (X-Moz), Safari's top-sites previews (X-Purpose).
PREFETCH_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_MOZ", "HTTP_X_PURPOSE")
PREFETCH_WORDS = ("prefetch", "prerender", "preview")
REDIS_PREFIX = "newsroom:views"
REDIS_RETRY_SECONDS = 5  # after a Redis failure, count in the database this long before retrying
LOG_EVERY_SECONDS = 60
LEDGER_DAYS = 7


class NotCounted(Exception):
    """The database could not take a count in time: SQLite busy past its timeout (another
    writer held the lock), or the PostgreSQL connection lost. The count is dropped with a log
    line and the reader still gets the page: a view is not worth a 500."""


# --- Which requests count ---------------------------------------------------------------


def is_prefetch(request):
    """A speculative load (prefetch, prerender, preview), not a reader opening the page."""
    for header in PREFETCH_HEADERS:
        value = request.META.get(header, "").lower()
        if value and any(word in value for word in PREFETCH_WORDS):
            return True
    return False


def is_staff(request):
    # No session cookie, no login: skip loading the (lazy) user for most readers.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


def is_preview(request):
    match = getattr(request, "resolver_match", None)
    return bool(match is not None and match.url_name == "preview")


def is_countable_client(request, *, preview=False):
    """Every rule except the HTTP method: counting on, a browser, not a prefetch, not staff
    (unless NEWSROOM_VIEW_COUNT_STAFF), not a preview.

    For endpoints that count on POST (the beacon, the content API's `POST .../view`).
    The repeat-visit window is not checked here: see `counting.count_once`.
    """
    if not settings.NEWSROOM_COUNT_VIEWS or preview or is_preview(request):
        return False
    if bots.is_bot(request.META.get("HTTP_USER_AGENT", "")):
        return False
    if is_prefetch(request):
        return False
    return settings.NEWSROOM_VIEW_COUNT_STAFF or not is_staff(request)


def should_count(request, method_ok=False, *, preview=False):
    """Whether `request` is a reader's view of an article page.

    The method must be GET, unless the caller passes `method_ok=True` (it has checked the method
    itself, e.g. a POST beacon or API call); everything else is `is_countable_client`.
    """
    if not method_ok and request.method != "GET":
        return False
    return is_countable_client(request, preview=preview)


# --- Database backend --------------------------------------------------------------------


def today():
    """The newsroom's date (TIME_ZONE) for a count: timezone.localdate() costs ~5 µs and
    every counted view needs it, so it is worked out once a second (days start on a second)."""
    return _date_at(int(time.time()), settings.TIME_ZONE)


@functools.lru_cache(maxsize=1)
def _date_at(second, time_zone):
    """The date at `second`; `time_zone` (settings.TIME_ZONE) is part of the memo's key."""
    moment = datetime.fromtimestamp(second, UTC)
    return timezone.localdate(moment, timezone=timezone.get_default_timezone())


def add_counts(article_id, field, amount=1, day=None):
    """Add `amount` to `field` on the article and on its row for `day`; return the new total.

    Atomic, and None when the article no longer exists. PostgreSQL: one statement (the
    UPDATE and the upsert in one WITH), so one round trip in autocommit. SQLite: BEGIN
    IMMEDIATE, the UPDATE, the day's row, COMMIT, run on the driver's connection, without the
    ~150 µs Django's transaction and cursor wrappers add while the write lock is held (alone
    the lock is then held ~50 µs; under `make bench`'s load, with the CPU shared, ~150 µs).
    """
    if field not in COUNTED_FIELDS:
        raise ValueError(f"not a counter: {field}")
    day = day or today()
    conn = connections[DEFAULT_DB_ALIAS]
    sql = _count_sql(conn, field)
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute(sql.combined, [amount, article_id, day, amount, article_id])
            row = cursor.fetchone()
        return None if row is None else row[0]
    if conn.vendor == "sqlite" and not (conn.in_atomic_block or conn.execute_wrappers):
        return _sqlite_add(conn, sql, amount, article_id, day)
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        cursor.execute(sql.update, [amount, article_id])
        row = cursor.fetchone()
        if row is None:
            return None
        cursor.execute(sql.upsert, [article_id, day, amount])
    return row[0]


@dataclass(frozen=True)
class CountSQL:
    update: str  # the article's total, RETURNING the new value
    upsert: str  # the (article, day) row
    combined: str  # PostgreSQL: both in one statement
    daily: str  # SQLite: the (article, day) row when it exists


_count_sql_memo = {}


def _count_sql(conn, field):
    """The statements that count `field`, built once per backend. Identifiers come from the
    model and are quoted by the backend; values are always bound."""
    memo_key = (conn.vendor, field)
    if memo_key not in _count_sql_memo:
        qn = conn.ops.quote_name
        articles, daily, col = qn(Article._meta.db_table), qn(DailyStat._meta.db_table), qn(field)
        other = qn("qr_scans" if field == "views" else "views")
        update = f"UPDATE {articles} SET {col} = {col} + %s WHERE id = %s RETURNING {col}"  # noqa: S608
        on_conflict = (
            f"ON CONFLICT (article_id, day) DO UPDATE SET {col} = {daily}.{col} + excluded.{col}"
        )
        insert = f"INSERT INTO {daily} (article_id, day, {col}, {other}) "
        _count_sql_memo[memo_key] = CountSQL(
            update=update,
            daily=f"UPDATE {daily} SET {col} = {col} + %s WHERE article_id = %s AND day = %s",  # noqa: S608
            upsert=f"{insert} VALUES (%s, %s, %s, 0) {on_conflict}",
            combined=(
                f"WITH counted AS ({update}), daily AS ({insert} "  # noqa: S608
                f"SELECT id, %s, %s, 0 FROM {articles} WHERE id = %s "
                f"AND EXISTS (SELECT 1 FROM counted) {on_conflict}) SELECT {col} FROM counted"
            ),
        )
    return _count_sql_memo[memo_key]


@functools.lru_cache(maxsize=32)
def _qmark(statement):
    """A statement with Django's %s placeholders as the sqlite3 driver's ?."""
    return statement.replace("%s", "?")


def _sqlite_add(conn, sql, amount, article_id, day):
    """add_counts on SQLite outside any atomic block: one short IMMEDIATE transaction on the
    driver's connection. Errors become Django's (OperationalError when busy past the
    timeout); the statements are logged where Django logs queries (tests' query counts).

    The day's row is updated in place when it exists, as it does for all views of an article
    but its first of the day: the upsert's attempted INSERT took ~10 µs more under the lock.
    """
    conn.ensure_connection()
    raw = conn.connection
    update, daily, upsert = _qmark(sql.update), _qmark(sql.daily), _qmark(sql.upsert)
    statements = ["BEGIN IMMEDIATE", update]
    started = time.monotonic()
    with conn.wrap_database_errors:
        try:
            begin_immediate(raw, conn.settings_dict["OPTIONS"].get("timeout", 5.0))
            row = raw.execute(update, (amount, article_id)).fetchone()
            if row is not None:
                day = day.isoformat()
                statements.append(daily)
                if raw.execute(daily, (amount, article_id, day)).rowcount == 0:
                    statements.append(upsert)
                    raw.execute(upsert, (article_id, day, amount))
            raw.execute("COMMIT")
        except Exception:
            if raw.in_transaction:
                raw.execute("ROLLBACK")
            raise
    if conn.queries_logged:
        statements.append("COMMIT")
        took = f"{(time.monotonic() - started) / len(statements):.3f}"
        conn.queries_log.extend({"sql": sql_, "time": took} for sql_ in statements)
    return None if row is None else row[0]


# Waiting for another worker's count: the write lock is held for ~150 µs, so poll it this
# often; after LOCK_POLL_FAST seconds of waiting (a long write elsewhere), poll every ms.
LOCK_POLL_SECONDS = 0.0001
LOCK_POLL_FAST = 0.01


def begin_immediate(raw, timeout):
    """BEGIN IMMEDIATE on a driver connection, waiting at most `timeout` seconds for the lock.

    SQLite's own busy handler sleeps 1 ms, then 2, then 5... between tries: ten times the
    time another worker holds the lock for a count, and 8 % of counts waited that long under
    `make bench`. Polling every 100 µs instead took the article page from 840 to 1,060 req/s.
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
                time.sleep(LOCK_POLL_SECONDS if waited < LOCK_POLL_FAST else 0.001)
    finally:
        raw.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")


@dataclass
class FlushResult:
    batches: int = 0
    views: int = 0
    qr_scans: int = 0
    articles: set = field(default_factory=set)
    dropped: int = 0  # counts of articles deleted meanwhile

    def __str__(self):
        return (
            f"{self.views} views and {self.qr_scans} QR scans for {len(self.articles)} "
            f"articles from {self.batches} batches"
        )


def apply_batch(name, totals, days):
    """Apply one batch in one transaction, recording `name` in the ledger; None if done before.

    totals: {(article_id, field): n}; days: {(article_id, day, field): n}.
    """
    result = FlushResult(batches=1)
    qn = connection.ops.quote_name
    articles, daily = qn(Article._meta.db_table), qn(DailyStat._meta.db_table)
    with transaction.atomic():
        try:
            with transaction.atomic():
                AppliedBatch.objects.create(name=name)
        except IntegrityError:
            return None  # another flusher applied it (or this one did, and died before deleting)
        ids = {article_id for article_id, _ in totals} | {article_id for article_id, _, _ in days}
        live = set(Article.objects.filter(pk__in=ids).values_list("pk", flat=True))
        per_article = defaultdict(lambda: [0, 0])
        for (article_id, name_), n in totals.items():
            if article_id in live:
                per_article[article_id][COUNTED_FIELDS.index(name_)] += n
            else:
                result.dropped += n
        per_day = defaultdict(lambda: [0, 0])
        for (article_id, day, name_), n in days.items():
            if article_id in live:
                per_day[(article_id, day)][COUNTED_FIELDS.index(name_)] += n
        with connection.cursor() as cursor:
            if per_article:
                cursor.executemany(
                    f"UPDATE {articles} SET views = views + %s, qr_scans = qr_scans + %s "  # noqa: S608
                    "WHERE id = %s",
                    [(v, q, article_id) for article_id, (v, q) in per_article.items()],
                )
            if per_day:
                cursor.executemany(
                    f"INSERT INTO {daily} (article_id, day, views, qr_scans) "  # noqa: S608
                    "VALUES (%s, %s, %s, %s) ON CONFLICT (article_id, day) DO UPDATE SET "
                    f"views = {daily}.views + excluded.views, "
                    f"qr_scans = {daily}.qr_scans + excluded.qr_scans",
                    [(a, d, v, q) for (a, d), (v, q) in per_day.items()],
                )
    for article_id, (v, q) in per_article.items():
        result.views += v
        result.qr_scans += q
        result.articles.add(article_id)
    return result


# --- Redis backend -----------------------------------------------------------------------

# Count one: the article's pending total and its day's, atomically, in one command; with the
# stored totals' generation (see StoredTotals), so the page needs no database read.
INCR_SCRIPT = """
local total = redis.call('HINCRBY', KEYS[1], ARGV[2], ARGV[1])
redis.call('HINCRBY', KEYS[1], ARGV[3], ARGV[1])
return {total, redis.call('GET', KEYS[2]) or false}
"""

# The pending count and the stored totals' generation, in one round trip.
PENDING_SCRIPT = """
return {redis.call('HGET', KEYS[1], ARGV[1]) or false, redis.call('GET', KEYS[2]) or false}
"""

# Take the pending hash atomically: rename it to a fresh batch key and list it with any batch a
# dead flusher left behind.
TAKE_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[3])
  redis.call('SADD', KEYS[2], KEYS[3])
end
return redis.call('SMEMBERS', KEYS[2])
"""


class RedisBackend:
    """Pending counts in one Redis hash; fields `v:<id>`, `v:<id>:<yyyymmdd>` (and `q:` scans)."""

    def __init__(self, url, prefix=REDIS_PREFIX):
        self.client = redis.Redis.from_url(
            url, socket_connect_timeout=0.5, socket_timeout=1.0, health_check_interval=30
        )
        self.pending_key = f"{prefix}:pending"
        self.batches_key = f"{prefix}:batches"
        self.batch_prefix = f"{prefix}:batch:"
        self.throttle_key = f"{prefix}:autoflush"
        self.generation_key = f"{prefix}:stored"
        self.prefix = prefix
        self._take = self.client.register_script(TAKE_SCRIPT)
        self._incr = self.client.register_script(INCR_SCRIPT)
        self._pending = self.client.register_script(PENDING_SCRIPT)
        self._next_autoflush = 0.0

    def incr(self, article_id, field, day=None, amount=1):
        """One command: add to the pending total and the day's; return the pending total and
        the stored totals' generation."""
        code = FIELD_CODES[field]
        day = day or today()
        total_field = f"{code}:{article_id}"
        total, generation = self._incr(
            keys=[self.pending_key, self.generation_key],
            args=[amount, total_field, f"{total_field}:{day:%Y%m%d}"],
        )
        return int(total), generation

    def pending(self, article_id, field):
        """The pending count and the stored totals' generation, in one round trip."""
        value, generation = self._pending(
            keys=[self.pending_key, self.generation_key],
            args=[f"{FIELD_CODES[field]}:{article_id}"],
        )
        return int(value or 0), generation

    def stored_totals_changed(self):
        """Tell every process that totals in the database changed: their memos are stale."""
        self.client.set(self.generation_key, f"{time.time_ns()}-{uuid.uuid4().hex[:8]}")

    def pending_all(self, article_id):
        """{field: pending} for one article: what the admin shows as not yet flushed."""
        keys = [f"{FIELD_CODES[f]}:{article_id}" for f in COUNTED_FIELDS]
        return {
            f: int(v or 0)
            for f, v in zip(COUNTED_FIELDS, self.client.hmget(self.pending_key, keys), strict=True)
        }

    @staticmethod
    def parse(data):
        totals, days = defaultdict(int), defaultdict(int)
        for raw_key, raw_value in data.items():
            parts = raw_key.decode().split(":")
            field_name = CODE_FIELDS.get(parts[0])
            try:
                article_id, n = int(parts[1]), int(raw_value)
                if field_name is None or len(parts) > 3:
                    raise ValueError
                if len(parts) == 2:
                    totals[(article_id, field_name)] += n
                else:
                    day = date(int(parts[2][:4]), int(parts[2][4:6]), int(parts[2][6:8]))
                    days[(article_id, day, field_name)] += n
            except (ValueError, IndexError):
                logger.error("Ignoring a malformed pending count %r=%r", raw_key, raw_value)
        return dict(totals), dict(days)

    def flush(self):
        """Move every pending count into the database; safe to run anywhere, any number at once."""
        batch_key = f"{self.batch_prefix}{time.time_ns()}-{uuid.uuid4().hex[:8]}"
        names = self._take(keys=[self.pending_key, self.batches_key, batch_key])
        result = FlushResult()
        for raw_name in sorted(names):
            name = raw_name.decode()
            data = self.client.hgetall(name)
            if data:
                applied = apply_batch(name, *self.parse(data))
                if applied is not None:
                    self.stored_totals_changed()
                    result.batches += 1
                    result.views += applied.views
                    result.qr_scans += applied.qr_scans
                    result.articles |= applied.articles
                    result.dropped += applied.dropped
            # Applied (by us or a racing flusher) or empty: forget it.
            pipe = self.client.pipeline(transaction=True)
            pipe.delete(name)
            pipe.srem(self.batches_key, name)
            pipe.execute()
        if result.batches:
            AppliedBatch.objects.filter(
                applied_at__lt=timezone.now() - timedelta(days=LEDGER_DAYS)
            ).delete()
        return result

    def maybe_autoflush(self):
        """Flush if no process on any server has in the last NEWSROOM_VIEW_FLUSH seconds."""
        interval = settings.NEWSROOM_VIEW_FLUSH
        now = time.monotonic()
        if interval <= 0 or now < self._next_autoflush:
            return
        self._next_autoflush = now + interval
        try:
            if self.client.set(self.throttle_key, "1", nx=True, px=int(interval * 1000)):
                self.flush()
        except Exception:
            logger.exception("Automatic flush of view counts failed; flush_views will retry")

    def forget(self, article_id, fields):
        """Drop an article's pending counts (pending hash and unapplied batches): reset_views."""
        keys = [self.pending_key, *(n.decode() for n in self.client.smembers(self.batches_key))]
        for key in keys:
            doomed = []
            for f in fields:
                code = FIELD_CODES[f]
                doomed.append(f"{code}:{article_id}")
                doomed += [
                    k for k, _ in self.client.hscan_iter(key, match=f"{code}:{article_id}:*")
                ]
            self.client.hdel(key, *doomed)


_backends = {}
_health = {"down_until": 0.0, "logged_at": -LOG_EVERY_SECONDS}


def redis_backend():
    """The Redis backend when REDIS_URL is set and Redis is not known to be down, else None."""
    url = getattr(settings, "REDIS_URL", "")
    if not url or time.monotonic() < _health["down_until"]:
        return None
    backend = _backends.get(url)
    if backend is None:
        backend = _backends[url] = RedisBackend(url)
    return backend


def redis_failed(exc):
    """Count in the database for a while; tell the operator at most once a minute."""
    now = time.monotonic()
    _health["down_until"] = now + REDIS_RETRY_SECONDS
    if now - _health["logged_at"] >= LOG_EVERY_SECONDS:
        _health["logged_at"] = now
        logger.warning("Redis unreachable (%s): counting views in the database meanwhile", exc)


def backend_name():
    return "redis" if getattr(settings, "REDIS_URL", "") else "database"


# --- The interface -----------------------------------------------------------------------


class StoredTotals:
    """Each process's memo of articles' stored totals, for the Redis backend.

    With Redis a page shows the stored total plus the pending count. The stored total changes
    only when a flush (or reset_views) writes it, and those then change the generation in
    Redis that every count and read gets back in its one round trip: a memo of the same
    generation is the database's figure, and the page needs no query. Entries also expire
    after MAX_AGE seconds, which bounds what a change made behind the generation's back (a
    process that counted in the database while it could not reach Redis) can hide.
    """

    MAX_AGE = 10.0
    MAX_ENTRIES = 10_000

    def __init__(self):
        self.entries = {}

    def get(self, article_id, field, generation):
        key = (article_id, field)
        now = time.monotonic()
        hit = self.entries.get(key)
        if hit is not None and hit[0] == generation and now < hit[2]:
            return hit[1]
        total = _db_total(article_id, field)
        if total is not None:
            if len(self.entries) >= self.MAX_ENTRIES:
                self.entries.clear()
            self.entries[key] = (generation, total, now + self.MAX_AGE)
        return total

    def clear(self):
        self.entries.clear()


stored_totals = process_state.register(StoredTotals())


def _db_total(article_id, field):
    """The stored counter, or None. Plain SQL: on a page served from the cache this read is
    the request's only query, and building it with the ORM cost more than running it."""
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


def add(article_id, field, db_total=None):
    """Count one; return the total readers should see (None if the article does not exist).

    Raises NotCounted when the database cannot take the count (logged here).

    `db_total` is the article's stored figure when the caller has it (saves a query on Redis).
    """
    backend = redis_backend()
    if backend is not None:
        try:
            pending, generation = backend.incr(article_id, field)
        except redis.RedisError as exc:
            redis_failed(exc)
        else:
            if db_total is None:
                db_total = stored_totals.get(article_id, field, generation)
            backend.maybe_autoflush()  # after reading the total: the sum is taken before it
            return None if db_total is None else db_total + pending
    try:
        if getattr(settings, "REDIS_URL", ""):
            stored_totals.clear()  # Redis is unreachable: counting behind its back
        return add_counts(article_id, field)
    except (OperationalError, InterfaceError) as exc:
        logger.warning("One %s of article %s not counted: %s", field, article_id, exc)
        raise NotCounted(field) from exc


def current(article_id, field, db_total=None):
    """The figure readers see without counting: stored total plus any pending count."""
    backend = redis_backend()
    if backend is not None:
        try:
            pending, generation = backend.pending(article_id, field)
        except redis.RedisError as exc:
            redis_failed(exc)
        else:
            if db_total is None:
                db_total = stored_totals.get(article_id, field, generation) or 0
            return db_total + pending
    if db_total is None:
        db_total = _db_total(article_id, field) or 0
    return db_total


def count_view(article_id, db_total=None):
    """Count one view; return the article's new total as readers see it (None: no article).

    Exact with the database backend; database total + pending count with Redis.
    Callers decide first whether the request counts (`should_count`, `counting.count_once`).
    """
    return add(article_id, "views", db_total)


def count_qr_scan(article_id, db_total=None):
    """Count one QR scan; return the article's new scan total (None: no article)."""
    return add(article_id, "qr_scans", db_total)


def current_views(article_id, db_total=None):
    return current(article_id, "views", db_total)


def pending_counts(article_id):
    """Counts still waiting in Redis for one article, {"views": n, "qr_scans": m}."""
    backend = redis_backend()
    if backend is not None:
        try:
            return backend.pending_all(article_id)
        except redis.RedisError as exc:
            redis_failed(exc)
    return dict.fromkeys(COUNTED_FIELDS, 0)


def flush():
    """Move pending Redis counts into the database (no-op with the database backend)."""
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return FlushResult()
    backend = _backends.get(url) or RedisBackend(url)
    _backends[url] = backend
    return backend.flush()


def reset(article_id, fields=("views",)):
    """Set an article's counters in `fields` to zero, daily rows and pending counts included."""
    url = getattr(settings, "REDIS_URL", "")
    if url:
        backend = _backends.get(url) or RedisBackend(url)
        _backends[url] = backend
        backend.forget(article_id, fields)
    with transaction.atomic():
        Article.objects.filter(pk=article_id).update(**dict.fromkeys(fields, 0))
        DailyStat.objects.filter(article_id=article_id).update(**dict.fromkeys(fields, 0))
        DailyStat.objects.filter(article_id=article_id, views=0, qr_scans=0).delete()
    stored_totals.clear()
    if url:
        backend.stored_totals_changed()
