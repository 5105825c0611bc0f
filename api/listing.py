"""The article list's queries: the live articles a set of filters selects, and one page of
them with their total."""

import math
from dataclasses import dataclass

from django.db.models import Count, Window
from ninja.errors import HttpError

from api.params import moment
from articles import cached as article_caches
from articles import languages, listings
from articles.models import Article
from articles.sections import section_tree
from core import pagecache
from search import engine

# Columns the list never shows: the body is long, the others are not part of an item.
LIST_DEFERRED = ("body", "search_vector", "translation_of")


@dataclass(frozen=True)
class ArticlePage:
    rows: list
    count: int  # matching articles, on all pages
    number: int
    size: int

    @property
    def last_number(self):
        """The number of pages (0 when nothing matches)."""
        return math.ceil(self.count / self.size)


def filtered_articles(filters, query, fields):
    """Live articles matching `filters` (an ArticleFilters), newest first; with a cleaned
    search `query`, best match first, as on the site's search page."""
    if query:
        articles = engine.search(query).defer(*LIST_DEFERRED)
    else:
        articles = Article.objects.live().defer(*LIST_DEFERRED).order_by("-published_at", "-id")
    related = _relations_read_by(fields)
    if related:
        articles = articles.select_related(*related)
    if filters.section:
        tree = section_tree()
        found = tree.by_slug.get(filters.section)
        if found is None:
            raise HttpError(404, f"No such section: {filters.section}")
        articles = articles.filter(section_id__in=tree.descendant_ids(found))
    if filters.tag:
        articles = articles.filter(tags__slug=filters.tag)
    if filters.language:
        articles = articles.filter(language=filters.language)
    else:  # as the site lists them for the client's language (Accept-Language)
        articles = listings.in_language(articles)
    if filters.featured is not None:
        articles = articles.filter(featured=filters.featured)
    if filters.published_after is not None:
        articles = articles.filter(published_at__gte=moment(filters.published_after))
    if filters.published_before is not None:
        articles = articles.filter(published_at__lt=moment(filters.published_before))
    return articles


def _relations_read_by(fields):
    """The relations the asked fields read: an article's URL goes through its section."""
    wanted = set(fields) | ({"section"} if "url" in fields else set())
    return [name for name in ("section", "cover") if name in wanted]


def counted_page(articles, filters, query):
    """The page `filters` asks for, and the total of `articles` on all pages.

    The total is cached per set of filters until the site changes (core.pagecache), and counted
    by the page's own query (COUNT(*) OVER ()); while it is cached, pages are plain LIMIT
    queries, so a request's cost does not grow with the site. The total is kept no longer than
    until the next article falls due or expires (articles.cached.fragment_seconds).
    """
    offset = (filters.page - 1) * filters.page_size
    window = slice(offset, offset + filters.page_size)
    key = pagecache.fragment_key(("api-count", *_filter_values(filters), query))
    cached = pagecache.fetch(key)
    if cached.value is None:
        rows = list(articles.annotate(total=Window(Count("id")))[window])
        count = rows[0].total if rows else (articles.count() if filters.page > 1 else 0)
        pagecache.store(key, cached.generation, count, article_caches.fragment_seconds())
    else:
        rows, count = list(articles[window]), cached.value
    return ArticlePage(rows, count, filters.page, filters.page_size)


def _filter_values(filters):
    return (
        filters.section,
        filters.tag,
        filters.language or languages.scope_key(),
        filters.featured,
        filters.published_after,
        filters.published_before,
    )


def articles_for_detail():
    """Live articles with everything the detail shows, in one query (tags in a second)."""
    return (
        Article.objects.live()
        .select_related("section", "cover")
        .prefetch_related("tags")
        .defer("search_vector")
    )
