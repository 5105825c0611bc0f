"""A real server for tests that need one: a database, the manage.py commands that touch it, and
gunicorn serving it on a free loopback port."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
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
            # With Redis, views are buffered in it too: the cache and the view store are two
            # settings.
            NEWSROOM_VIEW_STORE="redis" if redis_url else "database",
            NEWSROOM_VIEW_REDIS_URL=redis_url,
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
