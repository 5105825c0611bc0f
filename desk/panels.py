"""What the editors' desk shows: articles waiting for an editor, those going live today, and
what readers read and scanned. Each list is one bounded query (the readership ones cached for a
minute), so the desk costs the same at any number of articles."""

from datetime import timedelta
from typing import NamedTuple

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article
from core.pagecache import fragment_key, get_or_build
from qr.models import Placement, PlacementDay
from readership.models import DailyStat

LIMIT = 8
# Readership figures on the desk may be this old: they are recomputed at most once a minute.
STATS_SECONDS = 60


class DeskItem(NamedTuple):
    """One line of a desk list: the article and what the list says about it."""

    article_id: int
    title: str
    figure: object  # a count, or the moment the line is about
    place: str = ""  # for a QR placement: where the code is printed

    @property
    def admin_url(self):
        return reverse("admin:articles_article_change", args=[self.article_id])


def for_user(user, now=None):
    """The desk's lists as `user` may see them (None without access to articles): writers see
    their own articles waiting or scheduled; the readership lists rank what readers reached,
    which only ever was live and which every writer can see in the article list too."""
    if not user.has_perm("articles.view_article"):
        return None
    now = now or timezone.now()
    mine = Q() if workflow.can_publish(user) else Q(author=user)
    return {
        "in_review": in_review(mine),
        "scheduled_today": scheduled_today(mine, now),
        "read_today": most_read_by("views", days=1),
        "read_week": most_read_by("views", days=7),
        "scanned_week": most_read_by("qr_scans", days=7),
        "placements_week": top_placements(days=7),
    }


def in_review(mine, limit=LIMIT):
    """Articles submitted for review, longest waiting first."""
    rows = (
        Article.objects.filter(mine, status=Article.Status.REVIEW)
        .order_by("updated_at", "id")
        .values_list("pk", "title", "updated_at")[:limit]
    )
    return [DeskItem(*row) for row in rows]


def scheduled_today(mine, now, limit=LIMIT):
    """Published articles whose time of issue is still ahead today, soonest first."""
    end_of_day = timezone.localtime(now).replace(hour=23, minute=59, second=59, microsecond=999999)
    rows = (
        Article.objects.filter(
            mine,
            status=Article.Status.PUBLISHED,
            published_at__gt=now,
            published_at__lte=end_of_day,
        )
        .order_by("published_at", "id")
        .values_list("pk", "title", "published_at")[:limit]
    )
    return [DeskItem(*row) for row in rows]


def most_read_by(counter, days, limit=LIMIT):
    """The articles with the most `counter` ("views" or "qr_scans", every code of the article
    together) over the last `days` days (today included), from the daily rows; kept a minute."""
    today = timezone.localdate()
    key = fragment_key(("desk", counter, days, limit, today.isoformat()))
    rows = get_or_build(key, lambda: _ranked(counter, today, days, limit), STATS_SECONDS)
    return [DeskItem(*row) for row in rows]


def _ranked(counter, today, days, limit):
    """(article id, title, total) of the top `limit`: one grouped query over the days' rows
    (index dailystat_day), then the winners' titles."""
    since = today - timedelta(days=days - 1)
    top = list(
        DailyStat.objects.filter(day__gte=since, day__lte=today)
        .values("article_id")
        .annotate(total=Sum(counter))
        .filter(total__gt=0)
        .order_by("-total", "article_id")
        .values_list("article_id", "total")[:limit]
    )
    titles = dict(
        Article.objects.filter(pk__in=[pk for pk, _total in top])
        .order_by()
        .values_list("pk", "title")
    )
    return tuple((pk, titles[pk], total) for pk, total in top if pk in titles)


def top_placements(days, limit=LIMIT):
    """The printed QR codes (qr placements) scanned most over the last `days` days; kept a
    minute."""
    today = timezone.localdate()
    key = fragment_key(("desk", "placements", days, limit, today.isoformat()))
    rows = get_or_build(key, lambda: _ranked_placements(today, days, limit), STATS_SECONDS)
    return [DeskItem(*row) for row in rows]


def _ranked_placements(today, days, limit):
    since = today - timedelta(days=days - 1)
    top = list(
        PlacementDay.objects.filter(day__gte=since, day__lte=today)
        .values("placement_id")
        .annotate(total=Sum("scans"))
        .filter(total__gt=0)
        .order_by("-total", "placement_id")
        .values_list("placement_id", "total")[:limit]
    )
    places = {
        pk: (article_id, title, name)
        for pk, article_id, title, name in Placement.objects.filter(
            pk__in=[pk for pk, _total in top]
        ).values_list("pk", "article_id", "article__title", "name")
    }
    return tuple(
        (places[pk][0], places[pk][1], total, places[pk][2]) for pk, total in top if pk in places
    )
