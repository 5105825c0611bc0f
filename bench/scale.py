"""`make bench SCALE=1`: do the reader's pages and the admin's stay as fast on a big site as
on the demo?

    .venv/bin/python bench/scale.py [--articles 100000] [--quick] [--port 8750]
                                    [--keep DIR] [--big-database-url URL]

Builds two production-mode sites the way `bench/run.py` does: the demo alone, and the demo
plus `--articles` generated ones (default 100,000, each with daily view rows spread over a
year). Serves each with gunicorn (2 workers) and measures the same URLs at a few concurrent
clients, so the figures are latencies rather than queueing: home, a section's first page and
its page 500, the demo's conference article, a search (one readers repeat, and a new one each
time), and the sitemap index. Prints both sites' p50/p99 and the ratio of p50s; the target is
at most 1.5x. Then the admin's pages as an editor signed in (`bench.admin_pages`: the desk, the
article list, its page 500, a search, a filter, images, sections), one request at a time: the
target is a p50 under 300 ms at any size. Exit status 1 on errors.

`--keep DIR` keeps each built site in DIR/<articles>/ and reuses it on the next run (generating
100,000 articles takes minutes); `--big-database-url` puts the big site on that database (e.g.
PostgreSQL) instead of SQLite.
"""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import admin_pages  # noqa: E402
from bench.common import log  # noqa: E402
from bench.load import load  # noqa: E402
from bench.production_site import build_site, find_urls, production_env  # noqa: E402
from bench.server import Server  # noqa: E402

TARGET_RATIO = 1.5
CONNECTIONS = 4
SEARCH = "/search/?q=robot+line"


def search_variants(words=("robot", "line")):
    """The same search spelled differently each time (letter case, word order): the results
    are the same, but each is a query the site has not answered before, so nothing of it
    comes from the cache."""
    variants = []
    for order in (words, tuple(reversed(words))):
        text = " ".join(order)
        letters = [i for i, ch in enumerate(text) if ch.isalpha()]
        for mask in range(2 ** len(letters)):
            chars = list(text)
            for bit, i in enumerate(letters):
                if mask >> bit & 1:
                    chars[i] = chars[i].upper()
            variants.append("/search/?q=" + "".join(chars).replace(" ", "+"))
    return variants


def pages(urls):
    """The URLs measured on both sites: the same paths, so the sites' sizes are compared."""
    section = "/news/company-news/"
    return [
        ("home", "/", None),
        ("section, page 1", section, None),
        ("section, page 500", section + "?page=500", None),
        ("article", urls["article"], None),
        ("search, a query readers repeat", SEARCH, None),
        ("search, a new query each time", SEARCH, search_variants()),
        ("sitemap index", "/sitemap.xml", None),
    ]


def measure_site(articles, seconds, port, keep=None, database_url=None):
    workdir = (
        str(Path(keep) / str(articles)) if keep else tempfile.mkdtemp(prefix="newsroom-scale-")
    )
    Path(workdir).mkdir(parents=True, exist_ok=True)
    try:
        env = production_env(workdir, port)
        if database_url:
            env["DATABASE_URL"] = database_url
        if admin_pages.already_built(env, articles):
            admin_pages.refresh_site(env)
        else:
            build_site(env, articles, 10)
        urls = find_urls(env)
        cookie = admin_pages.editor_cookie(env)
        results = {}
        with Server(env, port) as server:
            for name, path, paths in pages(urls):
                results[name] = load(server, path, seconds, CONNECTIONS, paths, workdir)
                log(f"  {articles:>7} articles, {name}: p50 {results[name]['p50']:.1f} ms")
            for name, path in admin_pages.pages(urls):
                admin_pages.check_signed_in(server, path, cookie)
                results[name] = load(server, path, seconds, 1, None, workdir, cookie)
                log(f"  {articles:>7} articles, {name}: p50 {results[name]['p50']:.1f} ms")
        return results
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=int(os.environ.get("ARTICLES", 100_000)))
    parser.add_argument("--quick", action="store_true", help="10,000 articles, 1 s a row")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8750)))
    parser.add_argument("--keep", help="keep the built sites in this folder and reuse them")
    parser.add_argument("--big-database-url", help="the big site's DATABASE_URL (else SQLite)")
    args = parser.parse_args()
    articles = min(args.articles, 10_000) if args.quick else args.articles
    seconds = 1 if args.quick else 5

    small = measure_site(0, seconds, args.port, args.keep)
    big = measure_site(articles, seconds, args.port, args.keep, args.big_database_url)
    errors = print_table(
        f"page ({CONNECTIONS} connections)", articles, small, big, TARGET_RATIO, reader=True
    )
    errors += print_table("admin page (1 connection)", articles, small, big, None, reader=False)
    return 1 if errors else 0


def print_table(title, articles, small, big, target_ratio, reader):
    """The reader's rows (ratio of p50s against `target_ratio`) or the admin's (p50 under
    admin_pages.TARGET_MS on both sites); returns the errors seen."""
    names = [n for n in small if admin_pages.is_admin(n) != reader]
    print(
        f"\n| {title} | demo p50 ms | demo p99 ms | {articles:,} articles p50 ms | p99 ms "
        "| p50 ratio | errors |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    checks, errors = [], 0
    for name in names:
        a, b = small[name], big[name]
        ratio = b["p50"] / a["p50"] if a["p50"] else 0
        errors += a["errors"] + b["errors"]
        if not (a["requests"] and b["requests"]):  # nothing answered within the row's time
            errors += 1
            checks.append(f"MISS  {name}: no answer within the row's time")
            continue
        print(
            f"| {name} | {a['p50']:.1f} | {a['p99']:.1f} | {b['p50']:.1f} | {b['p99']:.1f} "
            f"| {ratio:.2f} | {a['errors'] + b['errors']} |"
        )
        if target_ratio is not None:
            checks.append(f"{'PASS' if ratio <= target_ratio else 'MISS'}  {name} {ratio:.2f}x")
        else:
            worst = max(a["p50"], b["p50"])
            verdict = "PASS" if worst < admin_pages.TARGET_MS else "MISS"
            checks.append(f"{verdict}  {name} p50 {worst:.0f} ms")
    print()
    print("\n".join(checks))
    return errors


if __name__ == "__main__":
    sys.exit(main())
