"""What every bench script shares: where the repository is, how a reader looks, the targets."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
REDIS_ENV = {"REDIS_URL": REDIS_URL, "NEWSROOM_VIEW_STORE": "redis"}  # the cache and the views
# The article page against the bare Django page (throughput ratio), its p99 at the run's
# connections, each worker's peak RSS, and the most counting may cost per view store.
TARGETS = {
    "article_ratio": 0.55,
    "p99_ms": 50,
    "rss_mb": 120,
    "counting_cost": {"SQLite": 0.25, "Redis": 0.10},
}


def log(message):
    print(message, file=sys.stderr, flush=True)
