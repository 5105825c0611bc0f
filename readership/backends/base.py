"""The one small interface every view store offers, and what it returns or raises."""

from dataclasses import dataclass, field
from typing import Protocol

COUNTED_FIELDS = ("views", "qr_scans")


class NotCounted(Exception):
    """The database could not take a count in time: SQLite busy past its timeout (another
    writer held the lock), or the PostgreSQL connection lost. The count is dropped with a log
    line and the reader still gets the page: a view is not worth a 500."""


@dataclass
class FlushResult:
    """What a flush moved from Redis into the database."""

    batches: int = 0
    views: int = 0
    qr_scans: int = 0
    articles: set = field(default_factory=set)
    dropped: int = 0  # counts of articles deleted meanwhile

    def add(self, other):
        """Add the figures of another (batch's) result to these."""
        self.batches += other.batches
        self.views += other.views
        self.qr_scans += other.qr_scans
        self.articles |= other.articles
        self.dropped += other.dropped

    def __str__(self):
        return (
            f"{self.views} views and {self.qr_scans} QR scans for {len(self.articles)} "
            f"articles from {self.batches} batches"
        )


class ViewStore(Protocol):
    """Counts of `views` and `qr_scans` per article (and per article and day)."""

    def add(self, article_id, field, db_total=None):
        """Count one; return the total readers should see (None: no such article).

        `db_total` is the article's stored figure when the caller has it. Raises NotCounted
        when the database cannot take the count.
        """

    def current(self, article_id, field, db_total=None):
        """The figure readers see without counting."""

    def pending(self, article_id):
        """{field: n} counted but not yet in the database."""

    def flush(self):
        """Move pending counts into the database; a FlushResult."""

    def reset(self, article_id, fields):
        """Set the article's counters in `fields` to zero, daily rows and pending counts too."""
