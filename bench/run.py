"""`make bench`: build a fresh site, serve it as in production, load it, print one table.

    .venv/bin/python bench/run.py [--articles 10000] [--quick] [--soak] [--port 8700]

Steps: a fresh SQLite database in a temporary folder (migrate, demo content, `--articles`
generated ones with daily view rows), collectstatic, then gunicorn (2 workers, this
repository's gunicorn.conf.py) on loopback in production mode (DJANGO_DEBUG=0,
DJANGO_HTTPS=0, a generated DJANGO_SECRET_KEY). Each row is driven by `wrk` (or, without
it, an aiohttp client) at 32 connections with a browser User-Agent and no cookies, so
every article request counts a view. A bare Django page (bench/bare_settings.py: default
middleware, a 20 kB template, no database) is served the same way; each row's throughput
is printed as a ratio of it. The server is restarted for the rows that need other settings
(counting off, the Redis backend). Exit status 1 when any row had errors (non-2xx answers
or socket errors): figures are noisy, errors are not.
"""

import argparse
import asyncio
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
TARGETS = {"article_ratio": 0.5, "p99_ms": 50, "rss_mb": 120}


def log(message):
    print(message, file=sys.stderr, flush=True)


# --- Site --------------------------------------------------------------------------------


def manage(env, *args, quiet=True):
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=quiet, text=True
    )
    if result.returncode:
        log(result.stdout or "")
        log(result.stderr or "")
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    return result.stdout


def build_site(env, articles, views_days):
    started = time.monotonic()
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    if articles:
        out = manage(
            env,
            "generate_articles",
            "--count",
            str(articles),
            "--seed",
            "1",
            "--views-days",
            str(views_days),
        )
        log(out.strip().splitlines()[-1].strip())
    manage(env, "collectstatic", "--noinput")
    log(f"site built in {time.monotonic() - started:.1f} s")


FIND_URLS = """
import json
from articles.models import Article, Section
from django.db.models import Count
demo = Article.objects.live().filter(slug__regex=r"^[a-z-]+$").select_related("section")
article = demo.exclude(body="").order_by("-published_at").first() or Article.objects.live().first()
busy = (Section.objects.filter(articles__status="published").annotate(n=Count("articles"))
        .order_by("-n").first())
cold = list(Article.objects.live().select_related("section").order_by("id")
            .values_list("section__slug", "slug")[:5000])
print(json.dumps({
    "article": article.get_absolute_url(), "article_id": article.pk,
    "section": busy.get_absolute_url(), "cold": [f"/news/{s}/{a}/" for s, a in cold],
    "word": article.title.split()[0],
}))
"""


def find_urls(env):
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", FIND_URLS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def production_env(workdir, port):
    """The environment of a production-mode site in `workdir` (SQLite, files, cache), served
    on loopback `port` over plain HTTP; nothing of the caller's Django settings leaks in."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "NEWSROOM_", "DATABASE_URL", "REDIS_URL", "TEST_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_HTTPS": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{port}",
            "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
            "STATIC_ROOT": f"{workdir}/static",
            "MEDIA_ROOT": f"{workdir}/media",
            "NEWSROOM_CACHE_DIR": f"{workdir}/cache",
            "NEWSROOM_SERVE_MEDIA": "1",
            # One load generator is one client: the API's per-client limit (600/min) would
            # answer 429 after a few seconds. The rows measure serving, not the limiter.
            "NEWSROOM_API_RATE": "off",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


# --- Server ------------------------------------------------------------------------------


class Server:
    def __init__(self, env, port, wsgi="newsroom.wsgi", workers=2):
        self.env, self.port, self.wsgi, self.workers = env, port, wsgi, workers
        self.process = None

    def __enter__(self):
        env = {
            **self.env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(self.workers),
            "GUNICORN_ACCESS_LOG": "",
            "GUNICORN_LOG_LEVEL": "warning",
            "GUNICORN_MAX_REQUESTS": "0",
        }
        self.process = subprocess.Popen(
            [PY, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), self.wsgi],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn ({self.wsgi}) exited with {self.process.returncode}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=2).read()
                if len(self.worker_pids()) >= self.workers:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"gunicorn ({self.wsgi}) did not answer on port {self.port}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def worker_pids(self):
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def rss_mb(self):
        """Current RSS of each worker, in MB."""
        sizes = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"VmRSS:\s+(\d+) kB", status)
            if match:
                sizes.append(int(match.group(1)) / 1024)
        return sizes


class RssSampler(threading.Thread):
    def __init__(self, server):
        super().__init__(daemon=True)
        self.server, self.peak, self.stop = server, 0.0, threading.Event()

    def run(self):
        while not self.stop.is_set():
            self.peak = max([self.peak, *self.server.rss_mb()])
            self.stop.wait(0.1)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.join()
        self.peak = max([self.peak, *self.server.rss_mb()])


# --- Load --------------------------------------------------------------------------------

WRK_LUA = """
local paths, i = {}, 0
for line in io.lines("%s") do paths[#paths + 1] = line end
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def parse_duration_ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(url, seconds, connections, paths_file=None):
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += ["-H", f"User-Agent: {UA}", "-H", "Accept-Language: en"]
    if paths_file:
        command += ["-s", paths_file]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", out, re.M))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    errors = 0
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket:
        errors += sum(int(x) for x in socket.groups())
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        errors += int(non2xx.group(1))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": parse_duration_ms(latency["50"]),
        "p90": parse_duration_ms(latency["90"]),
        "p99": parse_duration_ms(latency["99"]),
        "requests": total,
        "errors": errors,
    }


def run_aiohttp(url, seconds, connections, paths=None):
    import aiohttp

    latencies, errors = [], 0
    base = url.split("/", 3)
    origin = "/".join(base[:3])

    async def client(session, deadline, offset):
        nonlocal errors
        i = offset
        while time.monotonic() < deadline:
            target = origin + paths[i % len(paths)] if paths else url
            i += connections
            started = time.perf_counter()
            try:
                async with session.get(target, allow_redirects=False) as response:
                    await response.read()
                    if response.status >= 400:
                        errors += 1
            except aiohttp.ClientError:
                errors += 1
            latencies.append((time.perf_counter() - started) * 1000)

    async def main():
        deadline = time.monotonic() + seconds
        connector = aiohttp.TCPConnector(limit=connections)
        headers = {"User-Agent": UA, "Accept-Language": "en"}
        async with aiohttp.ClientSession(
            connector=connector, headers=headers, cookie_jar=aiohttp.DummyCookieJar()
        ) as session:
            started = time.monotonic()
            await asyncio.gather(*(client(session, deadline, n) for n in range(connections)))
            return time.monotonic() - started

    elapsed = asyncio.run(main())
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else 0

    return {
        "rps": len(latencies) / elapsed,
        "p50": pct(0.5),
        "p90": pct(0.9),
        "p99": pct(0.99),
        "requests": len(latencies),
        "errors": errors,
    }


def load(server, path, seconds, connections, paths=None, workdir=None):
    url = f"http://127.0.0.1:{server.port}{path}"
    paths_file = None
    if paths and shutil.which("wrk"):
        paths_file = str(Path(workdir) / f"paths-{len(paths)}.lua")
        list_file = Path(workdir) / f"paths-{len(paths)}.txt"
        list_file.write_text("\n".join(paths) + "\n")
        Path(paths_file).write_text(WRK_LUA % list_file)
    elif not paths:
        # Warm the page (first render, caches) outside the measurement.
        for _ in range(3):
            request = urllib.request.Request(url, headers={"User-Agent": UA})
            with contextlib.suppress(OSError):
                urllib.request.urlopen(request, timeout=10).read()
    with RssSampler(server) as rss:
        if shutil.which("wrk"):
            result = run_wrk(url, seconds, connections, paths_file)
        else:
            result = run_aiohttp(url, seconds, connections, paths)
    result["rss"] = rss.peak
    return result


def redis_reachable():
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        client.ping()
        return client
    except Exception:
        return None


# --- Table -------------------------------------------------------------------------------


def table(rows, bare_rps, connections):
    lines = [
        f"| page ({connections} connections) | req/s | x bare | p50 ms | p90 ms | p99 ms "
        "| errors | worker RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in rows:
        ratio = r["rps"] / bare_rps if bare_rps else 0
        lines.append(
            f"| {name} | {r['rps']:,.0f} | {ratio:.2f} | {r['p50']:.1f} | {r['p90']:.1f} "
            f"| {r['p99']:.1f} | {r['errors']} | {r['rss']:.0f} |"
        )
    return "\n".join(lines)


def verdict(rows, bare_rps, costs):
    article = dict(rows).get("article (counting on)")
    if not article or not bare_rps:
        return []
    checks = [
        (
            "article >= 0.5 x bare",
            article["rps"] / bare_rps >= TARGETS["article_ratio"],
            f"{article['rps'] / bare_rps:.2f}",
        ),
        ("article p99 < 50 ms", article["p99"] < TARGETS["p99_ms"], f"{article['p99']:.1f} ms"),
        ("zero errors", all(r["errors"] == 0 for _, r in rows), ""),
        (
            "worker RSS < 120 MB",
            all(r["rss"] < TARGETS["rss_mb"] for _, r in rows),
            f"{max(r['rss'] for _, r in rows):.0f} MB",
        ),
    ]
    for backend, limit in (("SQLite", 0.25), ("Redis", 0.10)):
        pairs = costs.get(backend)
        if pairs:
            cost = pairs[len(pairs) // 2]
            checks.append(
                (
                    f"counting costs < {limit:.0%} ({backend})",
                    cost < limit,
                    f"{cost:.0%} (median of {len(pairs)} on/off pairs: "
                    + ", ".join(f"{c:.0%}" for c in pairs)
                    + ")",
                )
            )
    return [f"{'PASS' if ok else 'MISS'}  {name} {value}".rstrip() for name, ok, value in checks]


# --- Main --------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=int(os.environ.get("ARTICLES", 10000)))
    parser.add_argument("--quick", action="store_true", help="a smoke run in under a minute")
    parser.add_argument("--soak", action="store_true", help="also run bench/soak.py")
    parser.add_argument("--seconds", type=float, default=None, help="per row (default 8)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8700)))
    parser.add_argument("--keep", action="store_true", help="keep the temporary site")
    args = parser.parse_args()
    if args.quick:
        args.articles = min(args.articles, 300)
    seconds = args.seconds or (1 if args.quick else 8)
    wrk_seconds = max(1, round(seconds))

    workdir = tempfile.mkdtemp(prefix="newsroom-bench-")
    env = production_env(workdir, args.port)
    tool = "wrk" if shutil.which("wrk") else "aiohttp (wrk not found)"
    log(f"bench: {args.articles} generated articles, {seconds:g} s a row, {tool}, in {workdir}")
    rows, failed = [], False
    costs = {}  # backend -> what counting cost in each on/off pair, sorted
    try:
        build_site(env, args.articles, 2 if args.quick else 10)
        urls = find_urls(env)
        article, section = urls["article"], urls["section"]
        n_cold = 300 if args.quick else 5000

        def measure(server, name, path, paths=None):
            result = load(server, path, wrk_seconds, args.connections, paths, workdir)
            rows.append((name, result))
            log(f"  {name}: {result['rps']:,.0f} req/s, p99 {result['p99']:.1f} ms")

        bare_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.bare_settings"}
        with Server(bare_env, args.port, "bench.bare_wsgi") as server:
            measure(server, "bare Django page (20 kB, no DB)", "/")
        with Server(env, args.port) as server:
            measure(server, "home", "/")
            measure(server, "section, page 1", section)
            measure(server, "section, page 50", section + "?page=50")
            measure(server, "article (counting on)", article)
            cold = [p + "qr.png" for p in urls["cold"][:n_cold]]
            measure(server, "qr.png (cold: a new article each time)", cold[0], cold)
            measure(server, "qr.png (warm)", article + "qr.png")
            cold = [p + "qr.svg" for p in urls["cold"][:n_cold]]
            measure(server, "qr.svg (cold: a new article each time)", cold[0], cold)
            measure(server, "qr.svg (warm)", article + "qr.svg")
            measure(server, "search", "/search/?q=automation+line")
            measure(server, "feed (RSS)", "/feed/")
            measure(server, "API list", "/api/v1/articles")
            measure(server, "API detail", f"/api/v1/articles/{urls['article_id']}")
            measure(server, "sitemap index", "/sitemap.xml")
        # What counting costs: on and off measured back to back, `repeats` pairs, each pair in
        # the other order than the last (drift of the machine cancels out); the cost is the
        # median of the pairs' costs and each row the median run of its state, so one noisy
        # stretch of the machine cannot make or break it.
        repeats = 1 if args.quick else 5
        backends = [("SQLite", env)]
        client = redis_reachable()
        if client:
            client.flushdb()
            backends.append(("Redis", {**env, "REDIS_URL": REDIS_URL}))
        else:
            log(f"  Redis not reachable at {REDIS_URL}: Redis rows skipped")
        for backend, backend_env in backends:
            runs = {"on": [], "off": []}
            pair_costs = []
            for i in range(repeats):
                pair = {}
                for state in ("on", "off") if i % 2 == 0 else ("off", "on"):
                    flag = "1" if state == "on" else "0"
                    with Server({**backend_env, "NEWSROOM_COUNT_VIEWS": flag}, args.port) as server:
                        pair[state] = load(server, article, wrk_seconds, args.connections)
                    runs[state].append(pair[state])
                if pair["off"]["rps"]:  # a run that answered nothing has its errors reported
                    pair_costs.append(1 - pair["on"]["rps"] / pair["off"]["rps"])
            costs[backend] = sorted(pair_costs)
            for state in ("on", "off"):
                result = sorted(runs[state], key=lambda r: r["rps"])[len(runs[state]) // 2]
                name = f"article, {backend}: counting {state} (median of {repeats})"
                rows.append((name, result))
                log(f"  {name}: {result['rps']:,.0f} req/s, p99 {result['p99']:.1f} ms")
            log(f"  counting cost, {backend}: " + ", ".join(f"{c:.0%}" for c in costs[backend]))
        if client:
            client.flushdb()
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    bare = rows[0][1]["rps"] if rows else 0
    report = table(rows, bare, args.connections)
    checks = verdict(rows, bare, costs)
    print()
    print(report)
    print()
    print("\n".join(checks))
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / ("quick.md" if args.quick else "latest.md")).write_text(
        report + "\n\n" + "\n".join(checks) + "\n"
    )
    failed = any(r["errors"] for _, r in rows)

    for script in ("qr_bench.py", "images_bench.py") + (("soak.py",) if args.soak else ()):
        path = ROOT / "bench" / script
        if path.exists():
            print(f"\n== bench/{script}", flush=True)
            extra = ["--quick"] if args.quick and "--quick" in path.read_text() else []
            code = subprocess.run([PY, str(path), *extra], cwd=ROOT).returncode
            failed = failed or (code != 0 and script == "soak.py")
            if code:
                print(f"bench/{script} exited with {code}")
    if failed:
        print("\nbench: errors above (non-2xx answers or socket errors)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
