"""Exact counts under load, through a real server: gunicorn, 2 workers, many clients at once.

SQLite runs against a temporary database file migrated here (the test database is in memory);
PostgreSQL runs against the test database (TEST_DATABASE_URL); Redis needs TEST_REDIS_URL.
"""

import os
import shutil
import signal
import subprocess
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from readership.backends import redis as redis_store
from tests.support.agents import BROWSER
from tests.support.servers import VIEWS_RE, LiveSite

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory):
    path = tmp_path_factory.mktemp("live") / "template.sqlite3"
    site = LiveSite(f"sqlite:///{path}")
    done = site.manage("migrate", "--noinput", "-v0", stderr=subprocess.PIPE)
    assert done.wait(120) == 0, done.stderr.read()
    return path


@pytest.fixture
def sqlite_url(migrated_sqlite, tmp_path):
    path = tmp_path / "live.sqlite3"
    shutil.copy(migrated_sqlite, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def sqlite_site(migrated_sqlite, tmp_path_factory):
    """One gunicorn on a SQLite file for the module's SQLite tests (each uses its own article)."""
    path = tmp_path_factory.mktemp("served") / "live.sqlite3"
    shutil.copy(migrated_sqlite, path)
    site = LiveSite(f"sqlite:///{path}")
    site.start()
    yield site
    site.stop()


@pytest.fixture
def live_site():
    sites = []

    def make(db_url, redis_url=""):
        site = LiveSite(db_url, redis_url)
        sites.append(site)
        return site

    yield make
    for site in sites:
        site.stop()


def hammer(url, threads, per_thread):
    """`threads` clients at once, each a cookie-less browser GETting `url` `per_thread` times."""

    def client(_):
        shown = []
        for _ in range(per_thread):
            request = urllib.request.Request(url, headers={"User-Agent": BROWSER})
            with urllib.request.urlopen(request, timeout=30) as response:
                assert response.status == 200
                shown.append(int(VIEWS_RE.search(response.read()).group(1)))
        return shown

    with ThreadPoolExecutor(threads) as pool:
        return [n for shown in pool.map(client, range(threads)) for n in shown]


@pytest.mark.parametrize(("threads", "per_thread"), [(16, 15), (8, 25)])
def test_sqlite_two_workers_count_exactly(sqlite_site, threads, per_thread):
    site = sqlite_site
    pk, path = site.create_article()
    shown = hammer(site.url + path, threads, per_thread)
    total = threads * per_thread
    assert site.counts(pk) == (total, total)
    # Each reader saw the total including their own view: every figure from 1 to N once.
    assert sorted(shown) == list(range(1, total + 1))


def test_postgresql_two_workers_count_exactly(request, live_site):
    if not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"):
        pytest.skip("set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom")
    request.getfixturevalue("transactional_db")
    from django.db import connection

    base = os.environ["TEST_DATABASE_URL"].rsplit("/", 1)[0]
    site = live_site(f"{base}/{connection.settings_dict['NAME']}")
    pk, path = site.create_article()
    site.start()
    shown = hammer(site.url + path, 16, 15)
    site.stop()  # close its connections before the test database is flushed
    assert site.counts(pk) == (240, 240)
    assert sorted(shown) == list(range(1, 241))


def test_redis_two_workers_count_exactly_after_flush(live_site, sqlite_url, redis_url, clean_redis):
    site = live_site(sqlite_url, redis_url)
    pk, path = site.create_article()
    site.start()
    shown = hammer(site.url + path, 16, 15)
    assert max(shown) <= 240
    site.flush()
    assert site.counts(pk) == (240, 240)


def test_flushers_racing_1000_increments_one_killed_lose_and_double_nothing(
    live_site, sqlite_url, redis_url, clean_redis, tmp_path
):
    site = live_site(sqlite_url, redis_url)
    pk, _ = site.create_article()
    buffer = redis_store.RedisBuffer(redis_url)
    logs = [tmp_path / f"flusher-{n}.log" for n in range(3)]
    flushers = [
        site.manage("flush_views", "--every", "0.01", "-v", "2", stdout=log.open("w"))
        for log in logs
    ]
    deadline = time.monotonic() + 30
    while not all(log.stat().st_size for log in logs):  # each has flushed once: running
        assert time.monotonic() < deadline, "flushers did not start"
        time.sleep(0.05)

    def kill_one_midway():
        time.sleep(0.3)
        flushers[0].kill()  # SIGKILL: wherever it is, in a transaction or between steps

    killer = threading.Thread(target=kill_one_midway)
    killer.start()

    def increments(_):
        for _ in range(125):
            buffer.incr(pk, "views")
            time.sleep(0.001)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(increments, range(8)))
    killer.join()
    time.sleep(0.3)
    for flusher in flushers[1:]:
        flusher.send_signal(signal.SIGTERM)
    for flusher in flushers:
        flusher.wait(30)
    assert [f.returncode for f in flushers] == [-signal.SIGKILL, 0, 0]
    site.flush()
    assert site.counts(pk) == (1000, 1000)
    assert not clean_redis.exists(buffer.pending_key)
    assert not clean_redis.smembers(buffer.batches_key)
