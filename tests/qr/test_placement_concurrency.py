"""Exact placement scans under load, through a real server: gunicorn, 2 workers, many phones at
once; and flushers racing (one killed) over placement counts in Redis.

Servers here listen on ports 18100-18199 (this suite's range).
"""

import os
import shutil
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from qr import placement_counts
from readership.backends import redis as redis_store
from tests.support import servers
from tests.support.agents import GOOGLEBOT, PHONE

pytestmark = pytest.mark.slow

PORTS = range(18100, 18200)


class QRSite(servers.LiveSite):
    """A LiveSite on this suite's ports, with an article and two placements."""

    def __init__(self, db_url, redis_url=""):
        super().__init__(db_url, redis_url)
        self.port = next(p for p in PORTS if _port_is_free(p))
        self.url = f"http://127.0.0.1:{self.port}"
        self.env["SITE_URL"] = self.url

    def create_placements(self):
        pk, _path = self.create_article()
        out = self.django(
            "from qr.models import Placement\n"
            f"a = Placement.objects.create(article_id={pk}, name='Canteen board')\n"
            f"b = Placement.objects.create(article_id={pk}, name='Lobby')\n"
            "print(a.pk, a.short_code, b.pk, b.short_code)\n"
        )
        a_pk, a_code, b_pk, b_code = out.split()
        return pk, (int(a_pk), a_code), (int(b_pk), b_code)

    def scans(self, article_pk, placement_pk):
        """(placement total, its daily sum, article QR scans, the article's daily sum)."""
        out = self.django(
            "from django.db.models import Sum\n"
            "from articles.models import Article\n"
            "from qr.models import Placement, PlacementDay\n"
            "from readership.models import DailyStat\n"
            f"p = Placement.objects.get(pk={placement_pk})\n"
            f"a = Article.objects.get(pk={article_pk})\n"
            f"pd = PlacementDay.objects.filter(placement=p).aggregate(s=Sum('scans'))['s'] or 0\n"
            f"ad = DailyStat.objects.filter(article=a).aggregate(s=Sum('qr_scans'))['s'] or 0\n"
            "print(p.scans, pd, a.qr_scans, ad)\n"
        )
        return tuple(map(int, out.split()))


def _port_is_free(port):
    import socket

    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def scan_many(url, threads, per_thread, agent=PHONE):
    """`threads` phones at once, each following the printed link `per_thread` times (the 302
    only: the article page is another request)."""
    opener = urllib.request.build_opener(_NoRedirect)

    def phone(_):
        for _ in range(per_thread):
            request = urllib.request.Request(url, headers={"User-Agent": agent})
            try:
                opener.open(request, timeout=30)
            except urllib.error.HTTPError as answer:
                assert answer.code == 302, answer.code
            else:
                pytest.fail("a short link answered without a redirect")

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(phone, range(threads)))


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory):
    path = tmp_path_factory.mktemp("qr-live") / "template.sqlite3"
    done = QRSite(f"sqlite:///{path}").manage("migrate", "--noinput", "-v0", stderr=subprocess.PIPE)
    assert done.wait(180) == 0, done.stderr.read()
    return path


@pytest.fixture
def sqlite_url(migrated_sqlite, tmp_path):
    path = tmp_path / "live.sqlite3"
    shutil.copy(migrated_sqlite, path)
    return f"sqlite:///{path}"


@pytest.fixture
def live_site():
    sites = []

    def make(db_url, redis_url=""):
        sites.append(QRSite(db_url, redis_url))
        return sites[-1]

    yield make
    for site in sites:
        site.stop()


def check_exact(site, flush=False):
    pk, (canteen, canteen_code), (lobby, _code) = site.create_placements()
    site.start()
    scan_many(f"{site.url}/s/{canteen_code}/", threads=16, per_thread=10)
    scan_many(f"{site.url}/s/{canteen_code}/", threads=4, per_thread=5, agent=GOOGLEBOT)
    site.stop()
    if flush:
        site.flush()
    assert site.scans(pk, canteen) == (160, 160, 160, 160)
    assert site.scans(pk, lobby)[:2] == (0, 0)


def test_sqlite_two_workers_count_every_placement_scan_once(live_site, sqlite_url):
    check_exact(live_site(sqlite_url))


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
    reason="set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom",
)
def test_postgresql_two_workers_count_every_placement_scan_once(transactional_db, live_site):
    from django.db import connection

    base = os.environ["TEST_DATABASE_URL"].rsplit("/", 1)[0]
    check_exact(live_site(f"{base}/{connection.settings_dict['NAME']}"))


def test_redis_two_workers_count_every_placement_scan_once_after_flush(
    live_site, sqlite_url, redis_url, clean_redis
):
    check_exact(live_site(sqlite_url, redis_url), flush=True)


def test_flushers_racing_over_placement_scans_one_killed_lose_and_double_nothing(
    live_site, sqlite_url, redis_url, clean_redis, tmp_path
):
    site = live_site(sqlite_url, redis_url)
    pk, (canteen, _code), _lobby = site.create_placements()
    buffer = redis_store.RedisBuffer(redis_url)
    logs = [tmp_path / f"flusher-{n}.log" for n in range(3)]
    flushers = [
        site.manage("flush_views", "--every", "0.01", "-v", "2", stdout=log.open("w"))
        for log in logs
    ]
    deadline = time.monotonic() + 30
    while not all(log.stat().st_size for log in logs):
        assert time.monotonic() < deadline, "flushers did not start"
        time.sleep(0.05)
    killer = threading.Timer(0.3, flushers[0].kill)  # SIGKILL, wherever it is
    killer.start()
    linked_row = (placement_counts.PLACEMENT_SCANS, canteen)

    def scans(_):
        for _ in range(125):
            buffer.incr(pk, "qr_scans", linked_row=linked_row)
            time.sleep(0.001)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(scans, range(8)))
    killer.join()
    time.sleep(0.3)
    for flusher in flushers[1:]:
        flusher.send_signal(signal.SIGTERM)
    for flusher in flushers:
        flusher.wait(30)
    assert [f.returncode for f in flushers] == [-signal.SIGKILL, 0, 0]
    site.flush()
    assert site.scans(pk, canteen) == (1000, 1000, 1000, 1000)
    assert not clean_redis.exists(buffer.pending_key)
