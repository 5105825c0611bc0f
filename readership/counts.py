"""The counts the rest of the project reads and writes: one call per thing it needs.

Callers decide first whether a request counts (`rules.should_count`, `visits.count_once`);
these functions count and read through the view store NEWSROOM_VIEW_STORE names (`backends/`):
"database" counts in the database at once, exact; "redis" buffers counts in Redis
(NEWSROOM_VIEW_REDIS_URL) and shows the database total plus the pending count.
"""

from django.conf import settings

from readership.backends import redis as redis_store
from readership.backends.base import COUNTED_FIELDS, FlushResult, NotCounted
from readership.backends.database import DatabaseStore

__all__ = [
    "COUNTED_FIELDS",
    "FlushResult",
    "NotCounted",
    "count_linked",
    "count_qr_scan",
    "count_view",
    "current_views",
    "flush",
    "pending_counts",
    "pending_linked",
    "reset",
    "store",
]

_database = DatabaseStore()


def store():
    """The view store the settings name (checked at start-up by `readership.checks`)."""
    if settings.NEWSROOM_VIEW_STORE == "redis":
        return redis_store.store_for(settings.NEWSROOM_VIEW_REDIS_URL)
    return _database


def count_view(article_id, db_total=None):
    """Count one view; return the article's new total as readers see it (None: no article).

    Raises NotCounted (logged) when the database cannot take the count. `db_total` is the
    article's stored figure when the caller has it (saves a query with Redis).
    """
    return store().add(article_id, "views", db_total)


def count_qr_scan(article_id, db_total=None):
    """Count one QR scan; return the article's new scan total (None: no article)."""
    return store().add(article_id, "qr_scans", db_total)


def count_linked(counter, article_id, row_id):
    """Count one on a linked row (`backends.linked`, e.g. a QR placement's scan) and on the
    article's counter it goes with, together; return the article's new total (None: gone)."""
    return store().add_linked(counter, article_id, row_id)


def pending_linked(counter, row_ids):
    """{row_id: n} of a linked counter's counts still waiting in Redis."""
    return store().pending_rows(counter, row_ids)


def current_views(article_id, db_total=None):
    """The figure readers see without counting: stored total plus any pending count."""
    return store().current(article_id, "views", db_total)


def pending_counts(article_id):
    """Counts still waiting in Redis for one article, {"views": n, "qr_scans": m}."""
    return store().pending(article_id)


def flush():
    """Move pending Redis counts into the database (nothing to do with the database store)."""
    return store().flush()


def reset(article_id, fields=("views",)):
    """Set an article's counters in `fields` to zero, daily rows and pending counts included."""
    store().reset(article_id, fields)
