"""What readers read most: live articles ranked by their recent daily views."""

from datetime import timedelta

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone

from articles.models import Article
from core.pagecache import fragment_key

MOST_READ_SECONDS = 60


def most_read(days=7, limit=5, section_ids=None):
    """Most read live articles over the last `days` days; one query, cached for a minute."""
    # Hashed: a section with many subsections must not make a key too long for the cache.
    key = fragment_key(("most-read", days, limit, *sorted(section_ids or [])))
    result = cache.get(key)
    if result is None:
        since = timezone.localdate() - timedelta(days=days - 1)
        queryset = Article.objects.listed().filter(daily_stats__day__gte=since)
        if section_ids:
            queryset = queryset.filter(section_id__in=section_ids)
        result = list(
            queryset.annotate(recent=Sum("daily_stats__views"))
            .filter(recent__gt=0)
            .order_by("-recent", "-id")[:limit]
        )
        cache.set(key, result, MOST_READ_SECONDS)
    return result
