"""Cached parts of the reader's pages, and how a change reaches every reader at once.

What is cached: whole reader's pages (home, each page of a section, live articles), feeds and
sitemaps, the rendered article body, a section's live-article count. What never is: the view
count. A page is cached with markers where each request's own values go (the "Views: N" figure and
the CSP nonce; no reader's page holds a CSRF token: see views/language.py); the article view
counts the view first (`views/reader.py`, `article_detail`, through
`counting.views_for_page`) and then fills the markers in, so a page served from the cache
still counts, and its figure is exact.

Invalidation is by generation: every save or delete of an article, image or section
(`signals.py`) bumps one number kept in the cache, and every cached part is stored with the
generation it was built under. A publish, unpublish, edit or delete is therefore visible on
the next request, on every app server sharing the cache (Redis, or the file cache on a single
machine: see settings). Fragments also expire when the next scheduled article falls due, and
after `NEWSROOM_CACHE_SECONDS` at the latest (which bounds changes made behind the ORM's back,
such as a bulk UPDATE).

One cache round trip per cached part: the generation and the part are fetched together.
"""

import hashlib
import secrets
import time
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Min, Q
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from . import rendering
from .models import Article

GEN_KEY = "newsroom:gen"
NEXT_DUE_KEY = "newsroom:next-due"


def cache_seconds():
    return settings.NEWSROOM_CACHE_SECONDS


def _new_generation():
    # Unique across cache flushes and restarts: a cleared cache never revives old parts.
    return time.time_ns()


def generation():
    gen = cache.get(GEN_KEY)
    if gen is None:
        cache.add(GEN_KEY, _new_generation(), None)
        gen = cache.get(GEN_KEY)
    return gen


def bump(**kwargs):
    """Invalidate every cached part (a signal receiver: see signals.py)."""
    try:
        cache.incr(GEN_KEY)
    except ValueError:
        cache.set(GEN_KEY, _new_generation(), None)


def fetch(key):
    """(generation, value or None): value only if it was built under the current generation."""
    found = cache.get_many([GEN_KEY, key])
    gen = found.get(GEN_KEY)
    if gen is None:
        return generation(), None
    stored = found.get(key)
    if stored is not None and stored[0] == gen:
        return gen, stored[1]
    return gen, None


def store(key, gen, value, timeout):
    if timeout is None or timeout > 0:
        cache.set(key, (gen, value), timeout)


def _seconds_until(when, now=None):
    if when is None:
        return cache_seconds()
    remaining = (when - (now or timezone.now())).total_seconds()
    return max(0, min(cache_seconds(), int(remaining) + 1))


def get_or_build(key, build, timeout=None):
    """The cached value of `key` under the current generation, else `build()` stored."""
    gen, value = fetch(key)
    if value is None:
        value = build()
        if callable(timeout):
            timeout = timeout()
        store(key, gen, value, cache_seconds() if timeout is None else timeout)
    return value


# --- Whole pages ------------------------------------------------------------------------

PAGE_HOLES = ("views", "csp_nonce")


def page_markers():
    """Stand-ins for each request's own values, random per render so no content can forge one."""
    return {name: f"nr{secrets.token_hex(12)}" for name in PAGE_HOLES}


class CachedPage:
    """A reader's page (home, a section's page, a live article) for one language, rendered once
    per change and then served from the cache.

    `page` is (data, HTML with markers, markers) or None; `data` is what the view needs on a
    hit (an article's id). Read before the content is, so a page built from rows that a save
    has since changed is stored under the old generation and never served.
    """

    def __init__(self, *parts):
        self.key = fragment_key(("page", *parts, get_language()))
        self.generation, self.page = fetch(self.key)

    def render(self, request, template, context, timeout, data=None):
        """Render `template` once, with markers for PAGE_HOLES, and keep it for `timeout`."""
        markers = page_markers()
        html = render_to_string(template, {**context, **markers}, request)
        self.page = (data, html, markers)
        store(self.key, self.generation, self.page, timeout)

    def fill(self, **values):
        """The page's HTML with this request's values (PAGE_HOLES) in place of the markers."""
        _data, html, markers = self.page
        for name in PAGE_HOLES:
            if markers[name] in html:  # a lazy value (the CSP nonce) is made only if used
                value = values.get(name)
                html = html.replace(markers[name], "–" if value is None else str(value))
        return html


# --- Whole responses: feeds and sitemaps -----------------------------------------------

KEPT_HEADERS = ("Content-Type", "Last-Modified", "X-Robots-Tag")


def cached_response(parts, build):
    """The response `build()` makes, built once per change (and until the next scheduled
    article falls due) and then served from the cache: for what robots and aggregators poll
    all day. Only a 200 is kept, with its body and KEPT_HEADERS."""
    key = fragment_key(parts)
    gen, value = fetch(key)
    if value is None:
        response = build()
        if hasattr(response, "render"):
            response.render()  # a TemplateResponse
        if response.status_code != 200:
            return response
        value = (response.content, {h: response[h] for h in KEPT_HEADERS if h in response})
        store(key, gen, value, fragment_seconds())
    return HttpResponse(value[0], headers=value[1])


# --- Article body -------------------------------------------------------------------------


def article_body(article):
    """The article's rendered body HTML, cached per article (an edit changes `updated_at`)."""
    stamp = article.updated_at.timestamp() if article.updated_at else ""
    key = f"newsroom:body:{article.pk}:{stamp}"
    return mark_safe(get_or_build(key, lambda: str(rendering.render_body(article))))


def article_translations(article):
    """The article's live translations (translations.py), cached; memoised on the article
    where translations() looks first."""
    from . import translations

    if getattr(article, "_translations", None) is None:
        article._translations = get_or_build(
            f"newsroom:translations:{article.pk}",
            lambda: translations.translations(article),
            timeout=fragment_seconds,
        )
    return article._translations


def related_articles(article):
    """The "related articles" list (pages.related), cached per article."""
    from . import pages

    return get_or_build(
        f"newsroom:related:{article.pk}:{article.language}",
        lambda: pages.related(article),
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
        store(NEXT_DUE_KEY, gen, value, _seconds_until(due))
    return datetime.fromisoformat(value) if value else None


def fragment_seconds(due=None):
    """How long a list fragment may live: until the next article falls due, at most the
    configured NEWSROOM_CACHE_SECONDS."""
    return _seconds_until(due if due is not None else next_due())


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
            store(key, gen, value, _seconds_until(due))
        return value

    @property
    def count(self):
        return self._data[0]

    @property
    def due(self):
        return datetime.fromisoformat(self._data[1]) if self._data[1] else None


# --- Keys -------------------------------------------------------------------------------


def fragment_key(parts):
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:40]
    return f"newsroom:fragment:{digest}"
