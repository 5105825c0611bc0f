"""What readers read most: live articles ranked by their recent daily views."""

from datetime import timedelta

from django.db.models import Sum
from django.utils import timezone

from articles import languages, listings
from core.pagecache import fragment_key, get_or_build

# The longest a "most read" list is kept, and so the pages showing it.
MOST_READ_SECONDS = 60


def most_read(days=7, limit=5, section_ids=None):
    """Most read live articles over the last `days` days, in the reader's language
    (`articles.listings.listed`): one query, kept until the next change of content and at
    most MOST_READ_SECONDS."""
    section_ids = sorted(section_ids or [])
    # "v2": since kept with a generation (core.pagecache); a bare list was stored before.
    key = fragment_key(("most-read", "v2", languages.scope_key(), days, limit, *section_ids))
    return get_or_build(
        key, lambda: _most_read(days, limit, section_ids), timeout=MOST_READ_SECONDS
    )


def _most_read(days, limit, section_ids):
    since = timezone.localdate() - timedelta(days=days - 1)
    queryset = listings.listed().filter(daily_stats__day__gte=since)
    if section_ids:
        queryset = queryset.filter(section_id__in=section_ids)
    return list(
        queryset.annotate(recent=Sum("daily_stats__views"))
        .filter(recent__gt=0)
        .order_by("-recent", "-id")[:limit]
    )
