"""Readiness: what must answer before a balancer sends this process readers (`/readyz`).

Each app registers a probe for what it leans on, in its AppConfig.ready: core the database and
the shared cache, media the file storage, readership its Redis view store. So core, the lowest
layer, names no app above it, and a new dependency brings its own probe. A probe returns False
when the settings do not use what it checks, True when it answered, and raises when it did not.
"""

import logging
from collections.abc import Callable

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection

log = logging.getLogger(__name__)

Probe = Callable[[], bool]
_probes: dict[str, Probe] = {}

OK, NOT_USED, FAILED = "ok", "not used", "failed"


def register(name: str, probe: Probe) -> None:
    """Add (or replace) the probe named `name`; apps call this from AppConfig.ready."""
    _probes[name] = probe


def check_all() -> dict[str, str]:
    """Every probe's verdict by name. Errors are logged, never shown: they may name hosts."""
    verdicts = {}
    for name, probe in _probes.items():
        try:
            verdicts[name] = OK if probe() else NOT_USED
        except Exception as exc:
            log.warning("Readiness: %s unreachable (%s: %s)", name, type(exc).__name__, exc)
            verdicts[name] = FAILED
    return verdicts


def database_answers() -> bool:
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return True


def shared_cache_answers() -> bool:
    """A Redis cache is pinged through its own connection pool; the resilient cache
    (core.redis_cache) answers "not cached" instead of failing, so a plain get would hide an
    outage. A local or file cache has nothing to reach."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return False
    backend._cache.get_client(write=True).ping()
    return True


def connect():
    """Called from CoreConfig.ready."""
    register("database", database_answers)
    register("cache", shared_cache_answers)
