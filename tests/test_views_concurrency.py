"""Exact counts under load, through a real server: gunicorn, 2 workers, many clients at once.

SQLite runs against a temporary database file migrated here (the test database is in memory);
PostgreSQL runs against the test database (TEST_DATABASE_URL); Redis needs TEST_REDIS_URL.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from readership import counts

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
PORTS = range(8100, 8200)
VIEWS_RE = re.compile(rb"<span data-views>(\d+)</span>")


def free_port():
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port in 8100-8199")


class LiveSite:
    """A database, the commands that touch it, and a gunicorn serving it."""

    def __init__(self, db_url, redis_url=""):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("TEST_DATABASE_URL", "TEST_REDIS_URL", "DJANGO_DEBUG")
        }
        self.env.update(
            NEWSROOM_TESTING="1",  # plain static storage, local secret key
            DATABASE_URL=db_url,
            REDIS_URL=redis_url,
            DJANGO_HTTPS="0",
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            SITE_URL=self.url,
            DJANGO_SETTINGS_MODULE="newsroom.settings",
            NEWSROOM_VIEW_FLUSH="1",
        )
        self.server = None

    def django(self, code):
        script = "import django\ndjango.setup()\n" + code
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def manage(self, *args, **popen):
        return subprocess.Popen(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, **popen
        )

    def create_article(self):
        slug = f"live-{uuid.uuid4().hex[:8]}"
        out = self.django(
            "from datetime import timedelta\n"
            "from django.utils import timezone\n"
            "from articles.models import Article, Section\n"
            "s, _ = Section.objects.get_or_create(slug='live', defaults={'name': 'Live'})\n"
            f"a = Article.objects.create(title='Live', slug='{slug}', section=s, "
            "status='published', published_at=timezone.now() - timedelta(hours=1), "
            "body='<p>Live.</p>')\n"
            "print(a.pk, a.get_absolute_url())\n"
        )
        pk, path = out.split()
        return int(pk), path

    def counts(self, pk):
        out = self.django(
            "from django.db.models import Sum\n"
            "from articles.models import Article\n"
            "from readership.models import DailyStat\n"
            f"a = Article.objects.get(pk={pk})\n"
            f"d = DailyStat.objects.filter(article_id={pk}).aggregate(s=Sum('views'))['s']\n"
            "print(a.views, d or 0)\n"
        )
        return tuple(map(int, out.split()))

    def flush(self):
        done = self.manage("flush_views", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert done.wait(60) == 0, done.stderr.read()

    def start(self, workers=2):
        self.server = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "newsroom.wsgi:application",
                "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
                "--log-level", "warning", "--timeout", "60",
            ],
            cwd=ROOT,
            env=self.env,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                assert self.server.poll() is None, "gunicorn died"
                time.sleep(0.2)
        pytest.fail("gunicorn did not start")

    def stop(self):
        if self.server and self.server.poll() is None:
            self.server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
            try:
                self.server.wait(15)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait(5)


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
def clean_redis(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"{counts.REDIS_PREFIX}:*"):
        client.delete(key)
    yield client
    for key in client.scan_iter(f"{counts.REDIS_PREFIX}:*"):
        client.delete(key)


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
    backend = counts.RedisBackend(redis_url)
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
            backend.incr(pk, "views")
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
    assert not clean_redis.exists(backend.pending_key)
    assert not clean_redis.smembers(backend.batches_key)
