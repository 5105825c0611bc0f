"""Buffering counts in Redis (NEWSROOM_VIEW_STORE=redis), flushed into the database in batches.

A view is one round trip: a server-side script of two HINCRBYs (the article's pending total and
its day's, atomically) in one hash. `flush()` (the `flush_views` command, and the app itself at
most every NEWSROOM_VIEW_FLUSH seconds) RENAMEs that hash to a batch key atomically and applies
each batch in one database transaction that also records the batch's name in the ledger
(`database.apply_batch`), then deletes the batch. A flusher that dies before the commit leaves
the batch for the next flush; one that dies after it leaves a batch the ledger marks as
applied: nothing is lost, nothing is counted twice, and two racing flushers are serialised by
the ledger's unique name. Readers see the database total plus the pending count; each process
reads that total once per flush (`StoredTotals`), not on every page.

If Redis is unreachable, counts go to the database (logged at most once a minute, and Redis is
not retried for a few seconds): no reader ever sees an error.
"""

import logging
import time
import uuid
from collections import defaultdict
from datetime import date
from typing import NamedTuple

import redis
from django.conf import settings

from core import process_state
from readership.backends import database, linked
from readership.backends.base import COUNTED_FIELDS, FlushResult

logger = logging.getLogger(__name__)

REDIS_PREFIX = "newsroom:views"
RETRY_SECONDS = 5  # after a Redis failure, count in the database this long before retrying
LOG_EVERY_SECONDS = 60
FIELD_CODES = {"views": "v", "qr_scans": "q"}
CODE_FIELDS = {code: name for name, code in FIELD_CODES.items()}

# Count one: the article's pending total and its day's (and a linked counter's, `linked.py`),
# atomically, in one command; with the stored totals' generation (see StoredTotals), so the
# page needs no database read.
INCR_SCRIPT = """
local total = redis.call('HINCRBY', KEYS[1], ARGV[2], ARGV[1])
for i = 3, #ARGV do redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[1]) end
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


class RedisStore:
    """The view store with Redis in front of the database, falling back to it while Redis is
    unreachable; one per URL and process (`store_for`)."""

    def __init__(self, url):
        self.buffer = RedisBuffer(url)
        self._next_autoflush = 0.0

    def add(self, article_id, field, db_total=None, linked_row=None):
        """`linked_row` (counter, row_id): count on that linked row too, in the same command."""
        if not health.is_down():
            try:
                pending, generation = self.buffer.incr(article_id, field, linked_row=linked_row)
            except redis.RedisError as exc:
                health.failed(exc)
            else:
                if db_total is None:
                    db_total = stored_totals.get(article_id, field, generation)
                self.maybe_autoflush()  # after reading the total: the sum is taken before it
                return None if db_total is None else db_total + pending
        stored_totals.clear()  # counting behind the generation's back
        if linked_row is not None:
            counter, row_id = linked_row
            return database.DatabaseStore().add_linked(counter, article_id, row_id)
        return database.DatabaseStore().add(article_id, field)

    def add_linked(self, counter, article_id, row_id, db_total=None):
        return self.add(article_id, counter.article_field, db_total, linked_row=(counter, row_id))

    def pending_rows(self, counter, row_ids):
        """{row_id: n} of a linked counter's rows not yet in the database."""
        row_ids = list(row_ids)
        if row_ids and not health.is_down():
            try:
                values = self.buffer.client.hmget(
                    self.buffer.pending_key, [f"{counter.code}:{i}" for i in row_ids]
                )
            except redis.RedisError as exc:
                health.failed(exc)
            else:
                return {i: int(v or 0) for i, v in zip(row_ids, values, strict=True)}
        return dict.fromkeys(row_ids, 0)

    def current(self, article_id, field, db_total=None):
        if not health.is_down():
            try:
                pending, generation = self.buffer.pending(article_id, field)
            except redis.RedisError as exc:
                health.failed(exc)
            else:
                if db_total is None:
                    db_total = stored_totals.get(article_id, field, generation) or 0
                return db_total + pending
        return database.DatabaseStore().current(article_id, field, db_total)

    def pending(self, article_id):
        if not health.is_down():
            try:
                return self.buffer.pending_all(article_id)
            except redis.RedisError as exc:
                health.failed(exc)
        return dict.fromkeys(COUNTED_FIELDS, 0)

    def flush(self):
        """Raises redis.RedisError when Redis is unreachable: the counts stay there."""
        return self.buffer.flush()

    def reset(self, article_id, fields):
        """Raises redis.RedisError (and resets nothing) when Redis is unreachable."""
        self.buffer.forget(article_id, fields)
        database.reset_counts(article_id, fields)
        stored_totals.clear()
        self.buffer.stored_totals_changed()

    def maybe_autoflush(self):
        """Flush if no process on any server has in the last NEWSROOM_VIEW_FLUSH seconds."""
        interval = settings.NEWSROOM_VIEW_FLUSH
        now = time.monotonic()
        if interval <= 0 or now < self._next_autoflush:
            return
        self._next_autoflush = now + interval
        try:
            if self.buffer.claim_autoflush(interval):
                self.buffer.flush()
        except Exception:
            logger.exception("Automatic flush of view counts failed; flush_views will retry")


_stores = process_state.register({})


def store_for(url):
    """The Redis view store for `url`, made once per process."""
    store = _stores.get(url)
    if store is None:
        store = _stores[url] = RedisStore(url)
    return store


class RedisBuffer:
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
        self._take = self.client.register_script(TAKE_SCRIPT)
        self._incr = self.client.register_script(INCR_SCRIPT)
        self._pending = self.client.register_script(PENDING_SCRIPT)

    def incr(self, article_id, field, day=None, amount=1, linked_row=None):
        """One command: add to the pending total and the day's (and those of `linked_row`,
        a (LinkedCounter, row id)); return the pending total and the stored totals' generation."""
        code = FIELD_CODES[field]
        day = day or database.today()
        fields = [f"{code}:{article_id}"]
        if linked_row is not None:
            fields.append(f"{linked_row[0].code}:{linked_row[1]}")
        fields += [f"{name}:{day:%Y%m%d}" for name in list(fields)]
        total, generation = self._incr(
            keys=[self.pending_key, self.generation_key], args=[amount, *fields]
        )
        return int(total), generation

    def pending(self, article_id, field):
        """The pending count and the stored totals' generation, in one round trip."""
        value, generation = self._pending(
            keys=[self.pending_key, self.generation_key],
            args=[f"{FIELD_CODES[field]}:{article_id}"],
        )
        return int(value or 0), generation

    def pending_all(self, article_id):
        """{field: pending} for one article: what the admin shows as not yet flushed."""
        keys = [f"{FIELD_CODES[f]}:{article_id}" for f in COUNTED_FIELDS]
        values = self.client.hmget(self.pending_key, keys)
        return {f: int(v or 0) for f, v in zip(COUNTED_FIELDS, values, strict=True)}

    def stored_totals_changed(self):
        """Tell every process that totals in the database changed: their memos are stale."""
        self.client.set(self.generation_key, f"{time.time_ns()}-{uuid.uuid4().hex[:8]}")

    def claim_autoflush(self, interval):
        """True for the one process, on any server, whose turn it is to flush."""
        return self.client.set(self.throttle_key, "1", nx=True, px=int(interval * 1000))

    def flush(self):
        """Move every pending count into the database; safe to run anywhere, any number at once."""
        batch_key = f"{self.batch_prefix}{time.time_ns()}-{uuid.uuid4().hex[:8]}"
        names = self._take(keys=[self.pending_key, self.batches_key, batch_key])
        result = FlushResult()
        for raw_name in sorted(names):
            name = raw_name.decode()
            data = self.client.hgetall(name)
            if data:
                applied = database.apply_batch(name, parse_batch(data))
                if applied is not None:
                    self.stored_totals_changed()
                    result.add(applied)
            # Applied (by us or a racing flusher) or empty: forget it.
            pipe = self.client.pipeline(transaction=True)
            pipe.delete(name)
            pipe.srem(self.batches_key, name)
            pipe.execute()
        if result.batches:
            database.purge_ledger()
        return result

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


def parse_batch(data):
    """A database.Batch from a batch hash's {field: count}; malformed fields are logged."""
    totals, days, rows = defaultdict(int), defaultdict(int), defaultdict(int)
    for raw_key, raw_value in data.items():
        parts = raw_key.decode().split(":")
        field = CODE_FIELDS.get(parts[0])
        try:
            row_id, n = int(parts[1]), int(raw_value)
            if len(parts) > 3 or (field is None and linked.registered(parts[0]) is None):
                raise ValueError
            day = None
            if len(parts) == 3:
                day = date(int(parts[2][:4]), int(parts[2][4:6]), int(parts[2][6:8]))
            if field is None:
                rows[(parts[0], row_id, day)] += n
            elif day is None:
                totals[(row_id, field)] += n
            else:
                days[(row_id, day, field)] += n
        except (ValueError, IndexError):
            logger.error("Ignoring a malformed pending count %r=%r", raw_key, raw_value)
    return database.Batch(dict(totals), dict(days), dict(rows))


class RedisHealth:
    """When Redis last failed in this process: count in the database meanwhile, and tell the
    operator at most once a minute."""

    def __init__(self):
        self.clear()

    def clear(self):
        self.down_until = 0.0
        self.logged_at = -LOG_EVERY_SECONDS

    def is_down(self):
        return time.monotonic() < self.down_until

    def retry_now(self):
        self.down_until = 0.0

    def failed(self, exc):
        now = time.monotonic()
        self.down_until = now + RETRY_SECONDS
        if now - self.logged_at >= LOG_EVERY_SECONDS:
            self.logged_at = now
            logger.warning("Redis unreachable (%s): counting views in the database meanwhile", exc)


health = process_state.register(RedisHealth())


class _Memo(NamedTuple):
    generation: bytes | None
    total: int
    expires: float


class StoredTotals:
    """Each process's memo of articles' stored totals, for the Redis store.

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
        memo = self.entries.get(key)
        if memo is not None and memo.generation == generation and now < memo.expires:
            return memo.total
        total = database.stored_total(article_id, field)
        if total is not None:
            if len(self.entries) >= self.MAX_ENTRIES:
                self.entries.clear()
            self.entries[key] = _Memo(generation, total, now + self.MAX_AGE)
        return total

    def clear(self):
        self.entries.clear()


stored_totals = process_state.register(StoredTotals())
