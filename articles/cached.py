"""Cached parts of the reader's pages that know about articles: the rendered body, the
translations, the related list, a section's live count, and when the next article falls due
or expires (which bounds how long any list or page may be cached). Built on `core.pagecache`.
"""

from datetime import datetime
from typing import NamedTuple

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles import languages, rendering, translations
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
    """The "related articles" list (`ArticleQuerySet.related_to`) as a reader of the article's
    language sees it (`languages`), cached per article."""
    scope = languages.scope_key(article.language)
    return get_or_build(
        f"newsroom:related:{article.pk}:{scope}",
        lambda: languages.in_language(Article.objects.all(), article.language).related_to(article),
        timeout=fragment_seconds,
    )


# --- Scheduling ---------------------------------------------------------------------------


def next_due():
    """When the next article goes live (scheduled) or leaves the site (its unpublish time), or
    None; cached until then."""
    current, stored = fetch(NEXT_DUE_KEY)
    if stored is None:
        now = timezone.now()
        # The WHERE keeps it to the few rows with a future time (both are indexed).
        upcoming = Q(published_at__gt=now) | Q(expires_at__gt=now)
        row = Article.objects.filter(upcoming, status=Article.Status.PUBLISHED).aggregate(
            issue=Min("published_at", filter=Q(published_at__gt=now)),
            expiry=Min("expires_at", filter=Q(expires_at__gt=now)),
        )
        due = _earliest(row["issue"], row["expiry"])
        stored = _iso(due)  # "": nothing scheduled (None would read as "not cached")
        store(NEXT_DUE_KEY, current, stored, seconds_until(due))
    return _from_iso(stored)


def fragment_seconds(due=None):
    """How long a list fragment may live: until the next article falls due, at most the
    configured NEWSROOM_CACHE_SECONDS."""
    return seconds_until(due if due is not None else next_due())


# --- Section listing ----------------------------------------------------------------------


class SectionStats(NamedTuple):
    live_count: int  # live articles in the section and its subsections
    next_due: datetime | None  # when the next one goes live or leaves the site


def section_stats(section_ids):
    """SectionStats of the sections `section_ids` for the reader's language (`languages`): one
    aggregate query, cached per generation, so paging never counts every row per request."""
    key = fragment_key(("section-stats", languages.scope_key(), *sorted(section_ids)))
    current, stored = fetch(key)
    if stored is None:
        now = timezone.now()
        unexpired = Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        row = Article.objects.filter(
            status=Article.Status.PUBLISHED, section_id__in=section_ids
        ).aggregate(
            live=Count("pk", filter=Q(published_at__lte=now) & unexpired & languages.listed_in()),
            issue=Min("published_at", filter=Q(published_at__gt=now)),
            expiry=Min("expires_at", filter=Q(expires_at__gt=now)),
        )
        due = _earliest(row["issue"], row["expiry"])
        stored = (row["live"], _iso(due))
        store(key, current, stored, seconds_until(due))
    live_count, due = stored
    return SectionStats(live_count, _from_iso(due))


def _earliest(*moments):
    """The earliest of `moments` that are set, or None."""
    return min((m for m in moments if m is not None), default=None)


def _iso(moment):
    """A moment as cached (text: it cannot change in place, so processes keep copies)."""
    return moment.isoformat() if moment else ""


def _from_iso(text):
    return datetime.fromisoformat(text) if text else None
