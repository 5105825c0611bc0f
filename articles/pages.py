"""The querysets behind the reader's pages: each page a fixed, small number of queries."""

from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from .caching import fragment_key
from .models import Article

LIST_FIELDS = ("cover", "section")
MOST_READ_SECONDS = 60


def list_queryset():
    """Live articles with what a list item shows, in one query."""
    return (
        Article.objects.live()
        .select_related(*LIST_FIELDS)
        .defer("body", "search_vector")
        .order_by("-published_at", "-id")
    )


def with_neighbours(queryset):
    """Annotate previous/next live article of the same section (title, slug) in the same query."""
    now = timezone.now()
    same_section = Article.objects.live(now).filter(section_id=OuterRef("section_id"))
    older = same_section.filter(published_at__lt=OuterRef("published_at")).order_by(
        "-published_at", "-id"
    )
    newer = same_section.filter(published_at__gt=OuterRef("published_at")).order_by(
        "published_at", "id"
    )
    return queryset.annotate(
        previous_title=Subquery(older.values("title")[:1]),
        previous_slug=Subquery(older.values("slug")[:1]),
        next_title=Subquery(newer.values("title")[:1]),
        next_slug=Subquery(newer.values("slug")[:1]),
    )


def latest_by_section(section_ids, per_section=4):
    """The newest live articles of each section, in one windowed query."""
    ranked = (
        list_queryset()
        .filter(section_id__in=section_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("section_id")],
                order_by=[F("published_at").desc(), F("id").desc()],
            )
        )
    )
    grouped = {pk: [] for pk in section_ids}
    for article in ranked.filter(rank__lte=per_section):
        grouped[article.section_id].append(article)
    return grouped


def most_read(days=7, limit=5, section_ids=None):
    """Most read live articles over the last `days` days; one query, cached for a minute."""
    # Hashed: a section with many subsections must not make a key too long for the cache.
    key = fragment_key(("most-read", days, limit, *sorted(section_ids or [])))
    result = cache.get(key)
    if result is None:
        since = timezone.localdate() - timedelta(days=days - 1)
        queryset = list_queryset().filter(daily_stats__day__gte=since)
        if section_ids:
            queryset = queryset.filter(section_id__in=section_ids)
        result = list(
            queryset.annotate(recent=Sum("daily_stats__views"))
            .filter(recent__gt=0)
            .order_by("-recent", "-id")[:limit]
        )
        cache.set(key, result, MOST_READ_SECONDS)
    return result


RELATED_CANDIDATES = 200


def related(article, limit=4):
    """Live articles in the article's language sharing its section or tags, most shared tags
    first; one query (the article's tags are a subquery).

    Candidates are bounded: the section's newest and the newest sharing a tag, at most
    RELATED_CANDIDATES each (index-backed subqueries), so the cost does not grow with the site.
    """
    tag_ids = Article.objects.filter(pk=article.pk, tags__isnull=False).values("tags__id")
    same_section = (
        Article.objects.live()
        .filter(section_id=article.section_id)
        .order_by("-published_at")
        .values("pk")[:RELATED_CANDIDATES]
    )
    tagged = (
        Article.tags.through.objects.filter(
            tag_id__in=tag_ids,
            content_type__app_label=Article._meta.app_label,
            content_type__model=Article._meta.model_name,
        )
        .order_by("-object_id")
        .values("object_id")[:RELATED_CANDIDATES]
    )
    return list(
        list_queryset()
        .filter(language=article.language)
        .filter(Q(pk__in=same_section) | Q(pk__in=tagged))
        .exclude(pk=article.pk)
        .annotate(shared_tags=Count("tags", filter=Q(tags__in=tag_ids), distinct=True))
        .order_by("-shared_tags", "-published_at", "-id")[:limit]
    )
