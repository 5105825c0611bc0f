"""The Redis cache backend (core/redis_cache.py): a dead Redis costs the cache, not a page."""

import asyncio
import logging
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCacheClient
from django.test import Client

from core import redis_cache
from core.redis_cache import ResilientRedisCache
from readership.backends import redis as redis_store
from tests.support.agents import CHROME

BACKEND = "core.redis_cache.ResilientRedisCache"


def views(article):
    article.refresh_from_db()
    return article.views


def warnings_logged(caplog):
    return [r for r in caplog.records if r.name == "core.redis_cache"]


@pytest.fixture
def dead_redis_url():
    """A local port where nothing listens: bound (so no one else takes it), never listening."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    yield f"redis://127.0.0.1:{sock.getsockname()[1]}/0"
    sock.close()


def run_async(coroutine):
    """Run a coroutine to its end in a thread of its own: the browser tests' Playwright keeps an
    event loop running in the main thread, where asyncio.run() refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def reset_health():
    """Forget past failures (in place: each cache client holds its LOCATION's state)."""
    for state in redis_cache._health.values():
        state.update(down_until=0.0, logged_at=-redis_cache.LOG_EVERY_SECONDS)


@pytest.fixture
def fresh_health():
    reset_health()
    yield
    reset_health()


@pytest.fixture
def dead_cache(dead_redis_url, fresh_health):
    return ResilientRedisCache(dead_redis_url, {"KEY_PREFIX": "newsroom-test"})


def every_operation(cache):
    """(name, call, expected answer) for each public operation of a cache."""
    return [
        ("get", lambda: cache.get("k", "fallback"), "fallback"),
        ("get default None", lambda: cache.get("k"), None),
        ("get_many", lambda: cache.get_many(["a", "b"]), {}),
        ("set", lambda: cache.set("k", "v", 30), None),
        ("set forever", lambda: cache.set("k", "v", None), None),
        ("set_many", lambda: cache.set_many({"a": 1, "b": 2}), ["a", "b"]),
        ("add", lambda: cache.add("k", "v"), False),
        ("delete", lambda: cache.delete("k"), False),
        ("delete_many", lambda: cache.delete_many(["a", "b"]), None),
        ("has_key", lambda: cache.has_key("k"), False),
        ("in", lambda: "k" in cache, False),
        ("touch", lambda: cache.touch("k", 10), False),
        ("clear", lambda: cache.clear(), False),
        ("get_or_set", lambda: cache.get_or_set("k", "built"), "built"),
        ("get_or_set callable", lambda: cache.get_or_set("k", lambda: "made"), "made"),
        ("aget", lambda: run_async(cache.aget("k", "async")), "async"),
        ("aset", lambda: run_async(cache.aset("k", "v")), None),
        ("close", lambda: cache.close(), None),
    ]


@pytest.mark.parametrize("backoff", [False, True], ids=["each call tries Redis", "backing off"])
def test_dead_redis_every_operation_answers_not_cached_and_logs_once(dead_cache, caplog, backoff):
    state = redis_cache._state(dead_cache._servers)

    def attempt(call):
        if not backoff:
            state["down_until"] = 0.0  # reach the dead Redis on every call, not only the first
        return call()

    with caplog.at_level(logging.WARNING, logger="core.redis_cache"):
        for _ in range(3):
            for name, call, expected in every_operation(dead_cache):
                assert attempt(call) == expected, name
            for call in (
                lambda: dead_cache.incr("k"),
                lambda: dead_cache.decr("k", 2),
                lambda: dead_cache.incr_version("k"),
                lambda: run_async(dead_cache.aincr("k")),
            ):
                with pytest.raises(ValueError, match="not found"):
                    attempt(call)
    logged = warnings_logged(caplog)
    assert len(logged) == 1
    assert logged[0].levelno == logging.WARNING
    assert "Redis cache failed" in logged[0].getMessage()
    assert "Connection refused" in logged[0].getMessage()


def test_dead_redis_is_tried_each_time_the_backoff_ends_yet_logged_once_a_minute(
    dead_cache, caplog
):
    state = redis_cache._state(dead_cache._servers)
    with caplog.at_level(logging.WARNING, logger="core.redis_cache"):
        for _ in range(5):
            state["down_until"] = 0.0  # retry Redis every time: still one log line
            assert dead_cache.get("k", "d") == "d"
            assert state["down_until"] > 0
        assert len(warnings_logged(caplog)) == 1
        state.update(down_until=0.0, logged_at=time.monotonic() - redis_cache.LOG_EVERY_SECONDS)
        assert dead_cache.get("k", "d") == "d"  # a minute later: said again
    assert len(warnings_logged(caplog)) == 2


def test_after_a_failure_redis_is_left_alone_for_a_few_seconds(dead_cache, monkeypatch):
    attempts = []
    real_get_client = redis_cache.ResilientRedisCacheClient.get_client

    def counting_get_client(self, *args, **kwargs):
        attempts.append(1)
        return real_get_client(self, *args, **kwargs)

    monkeypatch.setattr(redis_cache.ResilientRedisCacheClient, "get_client", counting_get_client)
    started = time.monotonic()
    for _ in range(50):
        dead_cache.get("k")
        dead_cache.set("k", 1)
    assert len(attempts) == 1  # one connect attempt, then no Redis for RETRY_SECONDS
    assert time.monotonic() - started < 1
    state = redis_cache._state(dead_cache._servers)
    assert state["down_until"] - time.monotonic() <= redis_cache.RETRY_SECONDS
    state["down_until"] = 0.0  # the back-off is over
    dead_cache.get("k")
    assert len(attempts) == 2


def test_one_redis_client_per_pool_is_made_once(dead_cache):
    """Django builds a redis-py client for every operation; ours keeps one per pool."""
    client = dead_cache._cache
    assert client.get_client("a") is client.get_client("b")
    assert client.get_client("a", write=True) is client.get_client("a")  # one server: one pool


def test_an_error_redis_answers_falls_back_without_backing_off(dead_cache, monkeypatch, caplog):
    import redis

    def read_only(self, *args, **kwargs):
        raise redis.ReadOnlyError("READONLY You can't write against a read only replica.")

    monkeypatch.setattr(RedisCacheClient, "set", read_only)
    monkeypatch.setattr(RedisCacheClient, "add", read_only)
    with caplog.at_level(logging.WARNING, logger="core.redis_cache"):
        assert dead_cache.set("k", 1) is None
        assert dead_cache.add("k", 1) is False
    assert redis_cache._state(dead_cache._servers)["down_until"] == 0.0
    assert len(warnings_logged(caplog)) == 1


def test_errors_that_are_not_redis_errors_still_raise(dead_cache, monkeypatch):
    def bug(self, *args, **kwargs):
        raise TypeError("a bug, not an outage")

    monkeypatch.setattr(RedisCacheClient, "get", bug)
    with pytest.raises(TypeError):
        dead_cache.get("k")


def test_short_socket_timeouts_by_default_and_overridable(dead_redis_url):
    default = ResilientRedisCache(dead_redis_url, {})
    assert default._options == redis_cache.DEFAULT_OPTIONS
    pool_kwargs = default._cache._get_connection_pool(write=True).connection_kwargs
    assert pool_kwargs["socket_connect_timeout"] == 0.5
    assert pool_kwargs["socket_timeout"] == 1.0
    custom = ResilientRedisCache(dead_redis_url, {"OPTIONS": {"socket_timeout": 3}})
    assert custom._options["socket_timeout"] == 3
    assert custom._options["socket_connect_timeout"] == 0.5


def test_a_hung_redis_stalls_one_call_for_the_socket_timeout_then_none(fresh_health, caplog):
    """A server that accepts connections and never answers (the kernel queues them)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(16)
        cache = ResilientRedisCache(f"redis://127.0.0.1:{hung.getsockname()[1]}/0", {})
        with caplog.at_level(logging.WARNING, logger="core.redis_cache"):
            started = time.monotonic()
            assert cache.get("k", "d") == "d"
            first = time.monotonic() - started
            started = time.monotonic()
            for _ in range(20):
                assert cache.get("k", "d") == "d"
            rest = time.monotonic() - started
    assert first < redis_cache.DEFAULT_OPTIONS["socket_timeout"] + 1
    assert rest < 0.1
    assert "Timeout" in warnings_logged(caplog)[0].getMessage()


# --- The site with Redis down -------------------------------------------------------------


@pytest.fixture
def redis_down(settings, dead_redis_url, fresh_health):
    """Cache and view counting both pointed at a Redis that is not there (as in production)."""
    settings.CACHES = {
        "default": {"BACKEND": BACKEND, "LOCATION": dead_redis_url, "KEY_PREFIX": "newsroom"}
    }  # the setting_changed signal drops the cached backend objects (django.test.signals)
    settings.REDIS_URL = settings.NEWSROOM_VIEW_REDIS_URL = dead_redis_url
    settings.NEWSROOM_VIEW_STORE = "redis"
    assert isinstance(caches["default"], ResilientRedisCache)
    yield dead_redis_url


def test_with_redis_down_every_reader_page_is_served_and_views_are_counted(
    redis_down, caplog, article
):
    reader = Client(HTTP_USER_AGENT=CHROME)
    base = article.get_absolute_url()
    with caplog.at_level(logging.WARNING, logger="articles"):
        for round_ in range(1, 3):
            reset_health()  # let each round reach the dead Redis again
            redis_store.health.retry_now()
            assert reader.get("/").status_code == 200
            assert reader.get(f"/news/{article.section.slug}/").status_code == 200
            assert Client(HTTP_USER_AGENT=CHROME).get(base).status_code == 200
            assert views(article) == round_  # counted in the database
            qr = reader.get(base + "qr.svg")
            assert qr.status_code == 200
            assert qr["Content-Type"].startswith("image/svg+xml")
            short = Client(HTTP_USER_AGENT=CHROME).get(f"/s/{article.short_code}/")
            assert short.status_code == 302
            assert short["Location"].endswith(base)
    article.refresh_from_db()
    assert article.qr_scans == 2
    assert len(warnings_logged(caplog)) == 2  # once per round: the log is reset in between
    assert any(r.name == "readership.backends.redis" for r in caplog.records)


def test_with_redis_down_a_publish_does_not_fail(redis_down, make_article):
    """Saving moves the cache generation on (pagecache.invalidate_all): incr fails, set does
    nothing."""
    article = make_article(title="Published while Redis is down")
    article.title = "Edited while Redis is down"
    article.save()
    assert Client(HTTP_USER_AGENT=CHROME).get(article.get_absolute_url()).status_code == 200


# --- A real Redis -------------------------------------------------------------------------


@pytest.fixture
def live_cache(redis_url, fresh_health):
    cache = ResilientRedisCache(redis_url, {"KEY_PREFIX": "newsroom-test-cache-backend"})
    cache.delete_many(["k", "n", "a", "b", "gen"])
    yield cache
    cache.delete_many(["k", "n", "a", "b", "gen"])


def test_with_redis_up_the_cache_works_as_djangos(live_cache, caplog):
    cache = live_cache
    with caplog.at_level(logging.WARNING, logger="core.redis_cache"):
        assert cache.get("k", "missing") == "missing"
        cache.set("k", {"value": [1, 2]}, 30)
        assert cache.get("k") == {"value": [1, 2]}
        assert cache.add("k", "other") is False
        assert cache.has_key("k") and cache.touch("k", 60)
        cache.set("n", 1, 30)
        assert cache.incr("n") == 2
        assert cache.incr("n", 5) == 7
        assert cache.decr("n") == 6
        assert cache.get("n") == 6
        with pytest.raises(ValueError):  # a missing key, as Django's RedisCache says it
            cache.incr("gen")
        assert cache.set_many({"a": 1, "b": "two"}, 30) == []
        assert cache.get_many(["a", "b", "nothing"]) == {"a": 1, "b": "two"}
        assert cache.get_or_set("gen", 42) == 42
        assert cache.delete("k") is True
        cache.delete_many(["a", "b"])
        assert cache.get_many(["a", "b"]) == {}
    assert warnings_logged(caplog) == []
    assert redis_cache._state(cache._servers)["down_until"] == 0.0
