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
or socket errors): figures are noisy, errors are not. A full run also rewrites
bench/RESULTS.md (bench/report.py); a quick one only bench/results/quick.md.
"""

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

# Run as a script (`python bench/run.py`), Python puts bench/ on the path, not the repository.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PY, REDIS_ENV, REDIS_URL, ROOT, log
from bench.load import load, redis_reachable
from bench.production_site import build_site, find_urls, production_env
from bench.proxy import measure_through_nginx
from bench.report import pair_costs, table, verdict, write_results
from bench.server import Server


def parse_args():
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
    args.seconds = args.seconds or (1 if args.quick else 8)
    args.views_days, args.cold, args.repeats = (2, 300, 1) if args.quick else (10, 5000, 5)
    return args


@dataclass
class Bench:
    """One run's site and load settings, and the table's rows in the order they were measured."""

    env: dict
    port: int
    workdir: str
    seconds: int
    connections: int
    rows: list = field(default_factory=list)

    def add(self, name, result):
        self.rows.append((name, result))
        log(f"  {name}: {result['rps']:,.0f} req/s, p99 {result['p99']:.1f} ms")

    def measure(self, server, name, path, paths=None):
        result = load(server, path, self.seconds, self.connections, paths, self.workdir)
        self.add(name, result)


def measure_bare_page(bench):
    bare_env = {**bench.env, "DJANGO_SETTINGS_MODULE": "bench.bare_settings"}
    with Server(bare_env, bench.port, "bench.bare_wsgi") as server:
        bench.measure(server, "bare Django page (20 kB, no DB)", "/")


def measure_pages(bench, urls, n_cold):
    article, section = urls["article"], urls["section"]
    with Server(bench.env, bench.port) as server:
        bench.measure(server, "home", "/")
        bench.measure(server, "section, page 1", section)
        bench.measure(server, "section, page 50", section + "?page=50")
        bench.measure(server, "article (counting on)", article)
        for kind in ("png", "svg"):
            cold = [f"{p}qr.{kind}" for p in urls["cold"][:n_cold]]
            bench.measure(server, f"qr.{kind} (cold: a new article each time)", cold[0], cold)
            bench.measure(server, f"qr.{kind} (warm)", f"{article}qr.{kind}")
        cold = [f"{p}poster.pdf" for p in urls["cold"][:n_cold]]
        bench.measure(server, "poster.pdf (cold: a new article each time)", cold[0], cold)
        bench.measure(server, "poster.pdf (warm)", f"{article}poster.pdf")
        bench.measure(server, "search", "/search/?q=automation+line")
        bench.measure(server, "feed (RSS)", "/feed/")
        bench.measure(server, "API list", "/api/v1/articles")
        bench.measure(server, "API detail", f"/api/v1/articles/{urls['article_id']}")
        bench.measure(server, "sitemap index", "/sitemap.xml")


def counting_pairs(bench, backend_env, article, repeats):
    """`repeats` on/off pairs back to back, each pair in the other order than the last, so
    the machine's drift cancels out rather than favouring one state."""
    pairs = []
    for i in range(repeats):
        order = ("on", "off") if i % 2 == 0 else ("off", "on")
        pair = {"order": order}
        for state in order:
            flag = "1" if state == "on" else "0"
            with Server({**backend_env, "NEWSROOM_COUNT_VIEWS": flag}, bench.port) as server:
                pair[state] = load(server, article, bench.seconds, bench.connections)
        # A run that answered nothing has its errors reported instead of a cost.
        off = pair["off"]["rps"]
        pair["cost"] = 1 - pair["on"]["rps"] / off if off else None
        pairs.append(pair)
    return pairs


def measure_counting(bench, article, repeats):
    """What counting costs per backend. Each row is the median run of its state and the cost
    the median pair's, so one noisy stretch of the machine cannot make or break it."""
    backends = [("SQLite", bench.env)]
    client = redis_reachable()
    if client:
        client.flushdb()
        backends.append(("Redis", {**bench.env, **REDIS_ENV}))
    else:
        log(f"  Redis not reachable at {REDIS_URL}: Redis rows skipped")
    pairs = {}
    for backend, backend_env in backends:
        pairs[backend] = counting_pairs(bench, backend_env, article, repeats)
        for state in ("on", "off"):
            runs = sorted((p[state] for p in pairs[backend]), key=lambda r: r["rps"])
            bench.add(
                f"article, {backend}: counting {state} (median of {repeats})", runs[len(runs) // 2]
            )
        costs = pair_costs(pairs)[backend]
        log(f"  counting cost, {backend}: " + ", ".join(f"{c:.0%}" for c in costs))
    if client:
        client.flushdb()
    return pairs


def report(bench, pairs, args, tool, through_nginx=""):
    bare = bench.rows[0][1]["rps"] if bench.rows else 0
    text = table(bench.rows, bare, bench.connections)
    if through_nginx:
        text += "\n\n" + through_nginx
    checks = verdict(bench.rows, bare, pair_costs(pairs))
    print()
    print(text)
    print()
    print("\n".join(checks))
    command = shlex.join(["python", "bench/run.py", *sys.argv[1:]])
    options = (
        f"{args.articles} generated articles, {bench.seconds} s a row, "
        f"{bench.connections} connections, 2 gunicorn workers, load by {tool}, "
        f"{args.repeats} on/off pairs per backend"
    )
    write_results(args.quick, text, checks, pairs, command, options)


def run_extra_scripts(quick, soak):
    """The QR and image micro-benchmarks, and the soak when asked; only the soak can fail."""
    failed = False
    for script in ("qr_bench.py", "images_bench.py") + (("soak.py",) if soak else ()):
        path = ROOT / "bench" / script
        if path.exists():
            print(f"\n== bench/{script}", flush=True)
            extra = ["--quick"] if quick and "--quick" in path.read_text() else []
            code = subprocess.run([PY, str(path), *extra], cwd=ROOT).returncode
            failed = failed or (code != 0 and script == "soak.py")
            if code:
                print(f"bench/{script} exited with {code}")
    return failed


def main():
    args = parse_args()
    workdir = tempfile.mkdtemp(prefix="newsroom-bench-")
    env = production_env(workdir, args.port)
    tool = "wrk" if shutil.which("wrk") else "aiohttp (wrk not found)"
    log(
        f"bench: {args.articles} generated articles, {args.seconds:g} s a row, {tool}, in {workdir}"
    )
    bench = Bench(env, args.port, workdir, max(1, round(args.seconds)), args.connections)
    pairs, through_nginx, nginx_failed = {}, "", False
    try:
        build_site(env, args.articles, args.views_days)
        urls = find_urls(env)
        measure_bare_page(bench)
        measure_pages(bench, urls, args.cold)
        pairs = measure_counting(bench, urls["article"], args.repeats)
        through_nginx, nginx_failed = measure_through_nginx(bench, urls)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    report(bench, pairs, args, tool, through_nginx)
    failed = nginx_failed or any(r["errors"] for _, r in bench.rows)
    failed = run_extra_scripts(args.quick, args.soak) or failed
    if failed:
        print("\nbench: errors above (non-2xx answers or socket errors)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
