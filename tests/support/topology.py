"""The production topology on loopback, for tests/deploy/test_topology.py: nginx from
deploy/nginx.conf, app servers from deploy/systemd's ExecStart (gunicorn.conf.py), PostgreSQL,
a private Redis, and moto's S3. Every process is started here and stopped at the end."""

import os
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.support.s3 import MotoS3, free_port

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
NGINX = "/usr/sbin/nginx"
REDIS_PORT = 18250
APP_PORTS = range(18251, 18300)
UNITS = ROOT / "deploy" / "systemd"


def exec_start(unit, instance=""):
    """A systemd unit's ExecStart as an argv for this checkout: what the test runs is what the
    unit runs, with /srv/newsroom being this checkout and %i the instance."""
    line = next(
        line for line in (UNITS / unit).read_text().splitlines() if line.startswith("ExecStart=")
    )
    command = line.removeprefix("ExecStart=").replace("%i", instance)
    command = command.replace("/srv/newsroom/.venv/bin/", f"{VENV_BIN}/")
    return shlex.split(command.replace("/srv/newsroom/", f"{ROOT}/"))


def wait_for(url, process, seconds=30, status=200):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == status:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if process is not None and process.poll() is not None:
            pytest.fail(f"{process.args[0]} exited with {process.returncode} before {url}")
        time.sleep(0.2)
    pytest.fail(f"{url} did not answer {status} within {seconds} s")


def requirements_or_skip():
    """Skip, naming what is missing, unless nginx, Redis and PostgreSQL are all here."""
    on_postgres = os.environ.get("TEST_DATABASE_URL", "").startswith("postgres")
    needs = {
        "nginx (apt-get install -y nginx)": os.path.exists(NGINX),
        "redis-server": shutil.which("redis-server"),
        "TEST_REDIS_URL": os.environ.get("TEST_REDIS_URL"),
        "TEST_DATABASE_URL=postgres://...": on_postgres,
    }
    missing = [what for what, ok in needs.items() if not ok]
    if missing:
        pytest.skip("the topology test needs " + ", ".join(missing))


class PostgresDatabase:
    """A database of its own on TEST_DATABASE_URL's server, dropped at the end."""

    def __init__(self):
        base = urlsplit(os.environ["TEST_DATABASE_URL"])
        self.name = f"{base.path.lstrip('/') or 'newsroom'}_topology"
        self.admin_url = urlunsplit(base._replace(path="/postgres"))
        self.url = urlunsplit(base._replace(path=f"/{self.name}"))

    def _run(self, sql):
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(sql)

    def create(self):
        self.drop()
        self._run(f'CREATE DATABASE "{self.name}"')
        return self

    def drop(self):
        self._run(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class Process:
    """One server process in its own session, so that `kill9` takes its workers too."""

    def __init__(self, name, argv, env, log_dir):
        self.name, self.argv, self.env = name, argv, env
        self.log = Path(log_dir) / f"{name}.log"
        self.popen = None

    def start(self):
        with self.log.open("ab") as log:
            self.popen = subprocess.Popen(
                self.argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        return self.popen

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.popen is None or self.popen.poll() is not None:
            return
        os.killpg(self.popen.pid, sig)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(10)

    def kill9(self):
        """The machine loses the server at once: master and workers, no goodbye."""
        os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(10)


class Topology:
    def __init__(self):
        self.workdir = Path(tempfile.mkdtemp(prefix="newsroom-topology-"))
        for sub in ("static", "media", "cache", "logs", "redis"):
            (self.workdir / sub).mkdir()
        # nginx's workers may run as another user (started by root): let them in.
        for path in (self.workdir, self.workdir / "static", self.workdir / "media"):
            path.chmod(0o755)
        (self.workdir / "cache").chmod(0o777)
        self.logs = self.workdir / "logs"
        self.nginx_port = free_port(APP_PORTS)
        self.a_port = free_port(range(self.nginx_port + 1, APP_PORTS.stop))
        self.b_port = free_port(range(self.a_port + 1, APP_PORTS.stop))
        self.url = f"http://127.0.0.1:{self.nginx_port}"
        self.a_url, self.b_url = (
            f"http://127.0.0.1:{self.a_port}",
            f"http://127.0.0.1:{self.b_port}",
        )
        self.database = PostgresDatabase()
        self.moto = MotoS3()
        self.mode = "beacon"
        self.secret = secrets.token_urlsafe(50)
        self.redis = self.apps = self.nginx = self.flusher = None

    # --- Settings --------------------------------------------------------------------------

    def env(self, **extra):
        """The app's environment: /etc/newsroom/env of README "Production", for this loopback."""
        kept = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "NEWSROOM_", "GUNICORN_", "TEST_", "AWS_"))
            and k not in ("DATABASE_URL", "REDIS_URL", "SITE_URL", "MEDIA_ROOT", "STATIC_ROOT")
        }
        return {
            **kept,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DJANGO_SECRET_KEY": self.secret,
            "DJANGO_HTTPS": "0",  # plain HTTP on loopback; nginx sets X-Forwarded-Proto
            "DJANGO_TRUST_X_FORWARDED_PROTO": "1",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": self.url,
            "DATABASE_URL": self.database.url,
            "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "NEWSROOM_VIEW_STORE": "redis",
            "NEWSROOM_VIEW_FLUSH": "2",
            "NEWSROOM_VIEW_COUNTING": self.mode,
            "NEWSROOM_REQUIRE_2FA": "off",
            # Lists (and nginx's copies of them) catch up with a publish within this.
            "NEWSROOM_CACHE_SECONDS": "10",
            "STATIC_ROOT": str(self.workdir / "static"),
            "MEDIA_ROOT": str(self.workdir / "media"),
            "NEWSROOM_CACHE_DIR": str(self.workdir / "cache" / "django"),
            "GUNICORN_WORKERS": "2",
            **self.moto.environment(),
            **extra,
        }

    def manage(self, *args, **env):
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env(**env),
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def django(self, code):
        """Run `code` with the site's settings; its printed output."""
        return self.manage("shell", "--no-imports", "-c", code).strip()

    # --- Processes -------------------------------------------------------------------------

    def start(self):
        self.database.create()
        self.moto.start()
        self.start_redis()
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        self.manage(
            "createsuperuser", "--noinput", DJANGO_SUPERUSER_USERNAME="chief",
            DJANGO_SUPERUSER_EMAIL="chief@example.com", DJANGO_SUPERUSER_PASSWORD=self.secret,
        )  # fmt: skip
        self.start_apps()
        self.start_nginx()
        self.flusher = Process(
            "flusher", exec_start("newsroom-flush-views.service"), self.env(), self.logs
        )
        self.flusher.start()
        return self

    def stop(self):
        for process in (self.nginx, self.flusher, *(self.apps or {}).values(), self.redis):
            if process is not None:
                process.stop()
        self.moto.stop()
        self.database.drop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def start_redis(self):
        # Appends every write to its log before answering: a restart loses no pending count.
        argv = [
            shutil.which("redis-server"), "--port", str(REDIS_PORT), "--bind", "127.0.0.1",
            "--dir", str(self.workdir / "redis"), "--appendonly", "yes",
            "--appendfsync", "always", "--save", "",
        ]  # fmt: skip
        self.redis = Process("redis", argv, self.env(), self.logs)
        self.redis.start()
        deadline = time.monotonic() + 10
        while (
            subprocess.run(
                ["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True, text=True
            ).stdout.strip()
            != "PONG"
        ):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)

    def app(self, name):
        port = {"A": self.a_port, "B": self.b_port}[name]
        argv = exec_start("newsroom@.service", str(port))
        env = self.env(GUNICORN_ACCESS_LOG=str(self.logs / f"access-{name}.log"))
        return Process(f"app-{name}", argv, env, self.logs)

    def start_app(self, name):
        self.apps[name] = self.app(name)
        wait_for(self.app_url(name) + "/healthz", self.apps[name].start())

    def app_url(self, name):
        return {"A": self.a_url, "B": self.b_url}[name]

    def start_apps(self):
        self.apps = {}
        for name in ("A", "B"):
            self.start_app(name)

    def restart_apps(self, mode):
        self.mode = mode
        for process in self.apps.values():
            process.stop()
        self.start_apps()

    def start_nginx(self):
        template = (ROOT / "deploy" / "nginx.conf").read_text()
        values = {
            "@LISTEN@": f"127.0.0.1:{self.nginx_port}",
            "@SERVER_NAME@": "127.0.0.1 localhost",
            "@APP_A@": f"127.0.0.1:{self.a_port}",
            "@APP_B@": f"127.0.0.1:{self.b_port}",
            "@STATIC_ROOT@": str(self.workdir / "static"),
            "@MEDIA_ROOT@": str(self.workdir / "media"),
            "@CACHE_DIR@": str(self.workdir / "cache"),
            "@RUN_DIR@": str(self.workdir),
            "@PROTO@": "$scheme",
        }
        for name, value in values.items():
            template = template.replace(name, value)
        assert "@" not in template.replace("@NAME@", ""), "a placeholder was left unfilled"
        conf = self.workdir / "nginx.conf"
        conf.write_text(template)
        argv = [
            NGINX,
            "-e",
            "stderr",
            "-p",
            str(self.workdir),
            "-c",
            str(conf),
            "-g",
            "daemon off;",
        ]
        self.nginx = Process("nginx", argv, self.env(), self.logs)
        wait_for(self.url + "/healthz", self.nginx.start())

    def access_log_lines(self, name, needle):
        path = self.logs / f"access-{name}.log"
        return sum(needle in line for line in path.read_text().splitlines()) if path.exists() else 0
