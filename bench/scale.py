"""`make bench SCALE=1`: do the reader's pages stay as fast on a big site as on the demo?

    .venv/bin/python bench/scale.py [--articles 100000] [--quick] [--port 8750]

Builds two production-mode sites the way `bench/run.py` does: the demo alone, and the demo
plus `--articles` generated ones (default 100,000, each with daily view rows spread over a
year). Serves each with gunicorn (2 workers) and measures the same URLs at a few concurrent
clients, so the figures are latencies rather than queueing: home, a section's first page and
its page 500, the demo's conference article, a search (one readers repeat, and a new one each
time), and the sitemap index. Prints both sites' p50/p99 and the ratio of p50s; the target is
at most 1.5x. Exit status 1 on errors.
"""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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


def measure_site(articles, seconds, port):
    workdir = tempfile.mkdtemp(prefix="newsroom-scale-")
    try:
        env = production_env(workdir, port)
        build_site(env, articles, 10)
        urls = find_urls(env)
        results = {}
        with Server(env, port) as server:
            for name, path, paths in pages(urls):
                results[name] = load(server, path, seconds, CONNECTIONS, paths, workdir)
                log(f"  {articles:>7} articles, {name}: p50 {results[name]['p50']:.1f} ms")
        return results
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=int(os.environ.get("ARTICLES", 100_000)))
    parser.add_argument("--quick", action="store_true", help="10,000 articles, 1 s a row")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8750)))
    args = parser.parse_args()
    articles = min(args.articles, 10_000) if args.quick else args.articles
    seconds = 1 if args.quick else 5

    small = measure_site(0, seconds, args.port)
    big = measure_site(articles, seconds, args.port)

    print(
        f"\n| page ({CONNECTIONS} connections) | demo p50 ms | demo p99 ms "
        f"| {articles:,} articles p50 ms | p99 ms | p50 ratio | errors |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    checks, errors = [], 0
    for name in small:
        a, b = small[name], big[name]
        ratio = b["p50"] / a["p50"] if a["p50"] else 0
        errors += a["errors"] + b["errors"]
        print(
            f"| {name} | {a['p50']:.1f} | {a['p99']:.1f} | {b['p50']:.1f} | {b['p99']:.1f} "
            f"| {ratio:.2f} | {a['errors'] + b['errors']} |"
        )
        checks.append(f"{'PASS' if ratio <= TARGET_RATIO else 'MISS'}  {name} {ratio:.2f}x")
    print()
    print("\n".join(checks))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
