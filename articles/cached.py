"""Cached parts of the reader's pages that know about articles: the rendered body, the
translations, the related list, a section's live count, and when the next scheduled article
falls due (which bounds how long any list may be cached). Built on `core.pagecache`.
"""

from datetime import datetime

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe

from articles import rendering, translations
from articles.models import Article
from core.pagecache import fetch, fragment_key, get_or_build, seconds_until, store

NEXT_DUE_KEY = "newsroom:next-due"


# --- Article body -------------------------------------------------------------------------


def article_body(article):
    """The article's rendered body HTML, cached per article (an edit changes `updated_at`)."""
    stamp = article.updated_at.timestamp() if article.updated_at else ""
    key = f"newsroom:body:{article.pk}:{stamp}"
    return mark_safe(get_or_build(key, lambda: str(rendering.render_body(article))))


def article_translations(article):
    """The article's live translations (translations.py), cached; memoised on the article
    where translations() looks first."""

    if getattr(article, "_translations", None) is None:
        article._translations = get_or_build(
            f"newsroom:translations:{article.pk}",
            lambda: translations.translations(article),
            timeout=fragment_seconds,
        )
    return article._translations


def related_articles(article):
    """The "related articles" list (`ArticleQuerySet.related_to`), cached per article."""
    return get_or_build(
        f"newsroom:related:{article.pk}:{article.language}",
        lambda: Article.objects.related_to(article),
        timeout=fragment_seconds,
    )


# --- Scheduling ---------------------------------------------------------------------------


def next_due():
    """When the next scheduled (published, future) article goes live, or None; cached."""

    def build():
        due = (
            Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
            .aggregate(due=Min("published_at"))
            .get("due")
        )
        return due.isoformat() if due else ""

    # A stored "" means "nothing scheduled"; the answer is itself a cached part.
    gen, value = fetch(NEXT_DUE_KEY)
    if value is None:
        value = build()
        due = datetime.fromisoformat(value) if value else None
        store(NEXT_DUE_KEY, gen, value, seconds_until(due))
    return datetime.fromisoformat(value) if value else None


def fragment_seconds(due=None):
    """How long a list fragment may live: until the next article falls due, at most the
    configured NEWSROOM_CACHE_SECONDS."""
    return seconds_until(due if due is not None else next_due())


# --- Section listing ----------------------------------------------------------------------


class SectionStats:
    """Live-article count of a section (and its subsections) and its next due time.

    One aggregate query, cached per generation: paging never counts every row per request.
    """

    def __init__(self, section_ids):
        self.section_ids = sorted(section_ids)

    @cached_property
    def _data(self):
        key = fragment_key(("section-stats", *self.section_ids))

        def build():
            now = timezone.now()
            row = Article.objects.filter(
                status=Article.Status.PUBLISHED, section_id__in=self.section_ids
            ).aggregate(
                live=Count("pk", filter=Q(published_at__lte=now)),
                due=Min("published_at", filter=Q(published_at__gt=now)),
            )
            return (row["live"], row["due"].isoformat() if row["due"] else "")

        gen, value = fetch(key)
        if value is None:
            value = build()
            due = datetime.fromisoformat(value[1]) if value[1] else None
            store(key, gen, value, seconds_until(due))
        return value

    @property
    def count(self):
        return self._data[0]

    @property
    def due(self):
        return datetime.fromisoformat(self._data[1]) if self._data[1] else None
