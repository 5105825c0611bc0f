"""An article's readership over recent days: what the admin's readership panel shows."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from readership import counts
from readership.models import DailyStat

CHART_DAYS = 30


@dataclass(frozen=True)
class Readership:
    """Totals and one figure per day, oldest first; counts pending in Redis included."""

    days: list[date]
    views: list[int]
    scans: list[int]
    pending: dict  # {"views": n, "qr_scans": m} not yet in the database
    total_views: int
    total_scans: int

    def views_in_last(self, days):
        return sum(self.views[-days:])

    def scans_in_last(self, days):
        return sum(self.scans[-days:])

    @property
    def has_pending(self):
        return bool(self.pending["views"] or self.pending["qr_scans"])


def readership(article, days=CHART_DAYS):
    """Totals and the last `days` days of views and scans of `article` (one query)."""
    today = timezone.localdate()
    span = [today - timedelta(days=days - 1 - i) for i in range(days)]
    views_on, scans_on = {}, {}
    for day, views, scans in DailyStat.objects.filter(
        article_id=article.pk, day__gte=span[0], day__lte=today
    ).values_list("day", "views", "qr_scans"):
        views_on[day], scans_on[day] = views, scans
    pending = counts.pending_counts(article.pk)
    views = [views_on.get(day, 0) for day in span]
    scans = [scans_on.get(day, 0) for day in span]
    # Pending counts are today's (the app flushes every few seconds).
    views[-1] += pending["views"]
    scans[-1] += pending["qr_scans"]
    return Readership(
        days=span,
        views=views,
        scans=scans,
        pending=pending,
        total_views=article.views + pending["views"],
        total_scans=article.qr_scans + pending["qr_scans"],
    )
