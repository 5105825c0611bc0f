"""Django's built-in Redis cache, made to degrade to "no cache" instead of failing a request.

Why: with REDIS_URL set the default cache is Redis, and Django's `RedisCache` raises on every
call while Redis is down (connection refused, timeout, loading, out of memory...). Every page
reads the cache (section tree, generation, fragments, QR codes), so a stopped Redis turned the
whole site into HTTP 500s. A cache is an optimisation: when it is unreachable, a reader must
get the page built from the database, as view counting already does (`readership`).

How: `RedisCache` sends every operation, the ones `BaseCache` builds on top (`get_or_set`,
`decr`, `incr_version`, `__contains__`, the `a*` async variants) included, to exactly one
method of its client object (`self._cache`, an instance of `self._class`). That client is the
narrowest point covering them all, so `ResilientRedisCacheClient` wraps each of its methods:
a Redis error (`redis.RedisError`) or a socket error (`OSError`) is swallowed and the
operation answers what a cache that does not hold the key would: `get` the default,
`get_many` {}, `add`/`touch`/`delete`/`has_key`/`clear` False, `set`/`delete_many` nothing,
`set_many` every key as not stored, and `incr`/`decr` raise ValueError as Django does for a
missing key (so `pagecache.invalidate_all()` falls back to `set`, which then does nothing).
Errors that are not Redis's (a bad key, an unpicklable value) still raise: they are bugs, not
outages.

As in readership's Redis store: the failure is logged as a warning at most once a minute per
process and per Redis LOCATION, and after Redis was unreachable (connection refused, timeout)
it is not tried again for RETRY_SECONDS, so a dead Redis costs no connect attempt per call; an
error Redis answered (a full or read-only server...) is not a reason to stop asking. Short socket
timeouts (DEFAULT_OPTIONS, overridable in OPTIONS) keep a hung Redis from stalling a page.

Staleness: a write missed while Redis is unreachable (such as a publish's generation bump) is
lost; fragments cached before the outage expire after NEWSROOM_CACHE_SECONDS at the latest.
"""

import logging
import threading
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

# As readership's Redis store: after Redis was unreachable, do without it this long; and one
# warning a minute at most.
RETRY_SECONDS = 5
LOG_EVERY_SECONDS = 60
# Seconds: to connect, and to wait for an answer. Passed to redis-py's connection pool.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}
# Redis is unreachable (back off), as opposed to an error Redis answered (do not back off).
UNREACHABLE = (redis.ConnectionError, redis.TimeoutError, OSError)
FAILURES = (redis.RedisError, OSError)
_NOT_DONE = object()

# Per process, shared by the per-thread cache objects: {LOCATION: {"down_until", "logged_at"}}.
_health = {}
_health_lock = threading.Lock()


def _state(servers):
    key = tuple(servers)
    with _health_lock:
        return _health.setdefault(key, {"down_until": 0.0, "logged_at": -LOG_EVERY_SECONDS})


class ResilientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client whose every operation answers "not cached" on failure."""

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._health = _state(servers)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        """One redis-py client per connection pool, made once. Django makes a new one for every
        operation, and building a redis-py 8 client takes about as long as serving a cached
        page. Sharing it is safe: each command takes its own connection from the pool."""
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client

    def _guard(self, operation, fallback, *args):
        now = time.monotonic()
        if now < self._health["down_until"]:
            return fallback
        try:
            return operation(*args)
        except FAILURES as exc:
            self._failed(exc, now)
            return fallback

    def _failed(self, exc, now):
        if isinstance(exc, UNREACHABLE):
            self._health["down_until"] = now + RETRY_SECONDS
        if now - self._health["logged_at"] >= LOG_EVERY_SECONDS:
            self._health["logged_at"] = now
            logger.warning(
                "Redis cache failed (%s: %s): serving pages without the cache meanwhile",
                type(exc).__name__,
                exc,
            )

    def add(self, key, value, timeout):
        return self._guard(super().add, False, key, value, timeout)

    def get(self, key, default):
        return self._guard(super().get, default, key, default)

    def set(self, key, value, timeout):
        self._guard(super().set, None, key, value, timeout)

    def touch(self, key, timeout):
        return self._guard(super().touch, False, key, timeout)

    def delete(self, key):
        return self._guard(super().delete, False, key)

    def get_many(self, keys):
        return self._guard(super().get_many, {}, keys)

    def has_key(self, key):
        return self._guard(super().has_key, False, key)

    def incr(self, key, delta):
        # Django's own ValueError for a missing key is not a Redis error: it passes through.
        value = self._guard(super().incr, _NOT_DONE, key, delta)
        if value is _NOT_DONE:
            raise ValueError(f"Key '{key}' not found (Redis cache unavailable).")
        return value

    def set_many(self, data, timeout):
        """The keys not stored: none, or all of them when Redis failed."""
        return self._guard(super().set_many, list(data), data, timeout) or []

    def delete_many(self, keys):
        self._guard(super().delete_many, None, keys)

    def clear(self):
        return self._guard(super().clear, False)


class ResilientRedisCache(RedisCache):
    """`django.core.cache.backends.redis.RedisCache` that a Redis outage cannot turn into a 500.

    CACHES = {"default": {"BACKEND": "core.redis_cache.ResilientRedisCache", ...}}; the
    LOCATION and OPTIONS are those of Django's RedisCache.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
        self._options = {**DEFAULT_OPTIONS, **self._options}

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        """As Django's, but answering the keys not stored (Django's always answers [])."""
        if not data:
            return []
        keys = {self.make_and_validate_key(key, version=version): key for key in data}
        safe_data = {safe_key: data[key] for safe_key, key in keys.items()}
        failed = self._cache.set_many(safe_data, self.get_backend_timeout(timeout))
        return [keys[safe_key] for safe_key in failed]
