"""`make bench COUNTING=1`: what counting one view costs in the database, and what sorting by
views costs, on a big site.

    .venv/bin/python bench/counting.py [--database-url URL] [--views 3000] [--articles 100000]

Against a scratch SQLite file in bench/results (kept for the next run), or the database at
--database-url (SQLite or PostgreSQL, never the site's own): migrates it, generates articles
into it while it has fewer than --articles, then counts --views views with the database view
store on articles picked the way readers pick them (most views go to a few), timing each;
times the admin's "sorted by views" query (the page's ids); on PostgreSQL also reports how
many of the counting updates were HOT (no index entry written). Prints a Markdown table for
bench/RESULTS.md.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PARSER = argparse.ArgumentParser(description=__doc__.splitlines()[0])
PARSER.add_argument(
    "--database-url", default=f"sqlite:///{ROOT / 'bench/results/counting.sqlite3'}"
)
PARSER.add_argument("--views", type=int, default=3000)
PARSER.add_argument("--articles", type=int, default=100_000)
ARGS = PARSER.parse_args()
(ROOT / "bench/results").mkdir(exist_ok=True)
os.environ.update(
    DJANGO_SETTINGS_MODULE="newsroom.settings",
    DJANGO_DEBUG="1",
    DATABASE_URL=ARGS.database_url,
    NEWSROOM_VIEW_STORE="database",
)
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from articles.models import Article  # noqa: E402
from bench.common import log  # noqa: E402
from readership import counts  # noqa: E402

SORT = "SELECT id FROM articles_article ORDER BY views DESC, id DESC LIMIT 50"


def readers_picks(ids, n, seed=7):
    """`n` article ids, most of them among the newest few hundred (a news site's day)."""
    rng = random.Random(seed)
    hot = ids[-300:]
    return [rng.choice(hot) if rng.random() < 0.9 else rng.choice(ids) for _ in range(n)]


def hot_updates():
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute(
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables "
            "WHERE relname = 'articles_article'"
        )
        return cursor.fetchone()


def time_counting(picks):
    """Microseconds of each count_view, after a warm-up."""
    for article_id in picks[:200]:
        counts.count_view(article_id)
    timings = []
    for article_id in picks:
        started = time.perf_counter()
        counts.count_view(article_id)
        timings.append((time.perf_counter() - started) * 1e6)
    return timings


def time_sort(rounds=5):
    """Milliseconds of the sorted ids query, best and median of `rounds`."""
    timings = []
    with connection.cursor() as cursor:
        for _ in range(rounds):
            started = time.perf_counter()
            cursor.execute(SORT)
            cursor.fetchall()
            timings.append((time.perf_counter() - started) * 1e3)
    return min(timings), statistics.median(timings)


def measure(picks):
    before = hot_updates()
    timings = sorted(time_counting(picks))
    after = hot_updates()
    hot = None
    if before and after:
        updates = after[0] - before[0]
        hot = 100 * (after[1] - before[1]) / updates if updates else 0
    return {
        "p50": timings[len(timings) // 2],
        "p99": timings[int(len(timings) * 0.99)],
        "mean": statistics.fmean(timings),
        "hot": hot,
        "sort": time_sort(),
    }


def main(args):
    call_command("migrate", verbosity=0)
    have = Article.objects.count()
    if have < args.articles:
        log(f"generating {args.articles - have} articles...")
        call_command("generate_articles", count=args.articles - have, verbosity=0)
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    picks = readers_picks(ids, args.views)
    result = measure(picks)
    print(f"\n{connection.vendor}, {len(ids):,} articles, {args.views:,} views counted\n")
    print("| count one view p50 µs | p99 µs | mean µs | HOT updates | sort by views best ms |")
    print("|---:|---:|---:|---:|---:|")
    hot = "-" if result["hot"] is None else f"{result['hot']:.0f} %"
    print(
        f"| {result['p50']:.0f} | {result['p99']:.0f} | {result['mean']:.0f} | {hot} "
        f"| {result['sort'][0]:.1f} |"
    )


if __name__ == "__main__":
    main(ARGS)
