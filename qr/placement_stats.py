"""Scans per placement over recent days: what the admin's placements table and "QR scans" show.

The article's own code is its default placement, "Website": its scans are the article's QR
scans less those of its other placements (every placement scan is also an article scan), day
by day, so it needs no counter of its own. Counts still pending in Redis are included (as
today's, like `readership.trends`).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qr import placement_counts
from qr.models import Placement, PlacementDay
from readership import counts
from readership.models import DailyStat

CHART_DAYS = 30
WEBSITE = _("Website")


@dataclass
class PlacementFigures:
    """One placement's scans: the total and one figure per day, oldest first."""

    name: str
    short_url: str
    placement: Placement | None  # None: the article's own code ("Website")
    total: int
    days: list[date]
    daily: list[int] = field(default_factory=list)

    def last(self, days):
        return sum(self.daily[-days:])

    @property
    def is_retired(self):
        return self.placement is not None and self.placement.is_retired


def day_span(days=CHART_DAYS):
    today = timezone.localdate()
    return [today - timedelta(days=days - 1 - i) for i in range(days)]


def article_placements(article, days=CHART_DAYS):
    """The Website placement, then the article's placements in order of creation (3 queries)."""
    span = day_span(days)
    placements = list(Placement.objects.filter(article=article).select_related("created_by"))
    per_day = {p.pk: dict.fromkeys(span, 0) for p in placements}
    for placement_id, day, scans in PlacementDay.objects.filter(
        placement__article=article, day__gte=span[0]
    ).values_list("placement_id", "day", "scans"):
        per_day[placement_id][day] = scans
    pending = placement_counts.pending([p.pk for p in placements])
    figures = []
    for placement in placements:
        daily = [per_day[placement.pk][day] for day in span]
        daily[-1] += pending[placement.pk]
        total = placement.scans + pending[placement.pk]
        figures.append(
            PlacementFigures(
                placement.name, placement.get_short_url(), placement, total, span, daily
            )
        )
    return [_website(article, span, figures), *figures]


def _website(article, span, others):
    article_daily = dict.fromkeys(span, 0)
    for day, scans in DailyStat.objects.filter(article=article, day__gte=span[0]).values_list(
        "day", "qr_scans"
    ):
        article_daily[day] = scans
    pending = counts.pending_counts(article.pk)["qr_scans"]
    article_daily[span[-1]] += pending
    daily = [
        max(0, article_daily[day] - sum(other.daily[i] for other in others))
        for i, day in enumerate(span)
    ]
    total = max(0, article.qr_scans + pending - sum(other.total for other in others))
    return PlacementFigures(str(WEBSITE), article.get_short_url(), None, total, span, daily)


@dataclass(frozen=True)
class Ranked:
    """A placement (or an article's Website code) and its scans over the period."""

    article_id: int
    article_title: str
    name: str
    placement: Placement | None
    scans: int


def best_placements(days=CHART_DAYS, limit=50):
    """The placements with most scans in the last `days` days across articles, Website codes
    included (4 queries; counts pending in Redis are not, they are seconds old)."""
    since = day_span(days)[0]
    placement_rows = (
        PlacementDay.objects.filter(day__gte=since)
        .values("placement_id")
        .annotate(scans=Sum("scans"))
        .order_by("-scans")[:limit]
    )
    placements = Placement.objects.select_related("article").in_bulk(
        [row["placement_id"] for row in placement_rows]
    )
    ranked = [
        Ranked(p.article_id, p.article.title, p.name, p, row["scans"])
        for row in placement_rows
        if (p := placements.get(row["placement_id"])) is not None and row["scans"]
    ]
    ranked += _best_website_codes(since, limit)
    ranked.sort(key=lambda r: (-r.scans, r.article_title, r.name))
    return ranked[:limit]


def _best_website_codes(since, limit):
    article_rows = list(
        DailyStat.objects.filter(day__gte=since, qr_scans__gt=0)
        .values("article_id", "article__title")
        .annotate(scans=Sum("qr_scans"))
        .order_by("-scans")[: limit * 2]
    )
    ids = [row["article_id"] for row in article_rows]
    printed = dict(
        PlacementDay.objects.filter(day__gte=since, placement__article_id__in=ids)
        .values("placement__article_id")
        .annotate(scans=Sum("scans"))
        .values_list("placement__article_id", "scans")
    )
    website = str(WEBSITE)
    return [
        Ranked(row["article_id"], row["article__title"], website, None, scans)
        for row in article_rows
        if (scans := row["scans"] - printed.get(row["article_id"], 0)) > 0
    ]
