"""The search page's results: search() as it is paged, its ranked ids cached when bounded."""

from articles import cached, languages, listings
from articles.models import Article
from core import pagecache
from search import query as queries
from search.engine import bounded, search
from search.query import clean_query


def in_reader_language(query):
    """search(query) in the reader's language (`articles.listings`): the page's default scope."""
    return listings.in_language(search(query))


def results(query):
    """search(query) as the search page pages it, in the reader's language.

    When the results are bounded (PostgreSQL, or SQLite's index found a word: at most
    MAX_INDEXED_RESULTS, engine.bounded()), their ranked ids are worked out by one query and
    cached per change (and until the next scheduled article falls due), so a query readers
    repeat, and every further page of it, loads only its own rows: `RankedArticles`.
    Otherwise the queryset itself.
    """
    query = clean_query(query)
    if not bounded(query):
        return in_reader_language(query)
    ids = pagecache.get_or_build(
        pagecache.fragment_key(("search", languages.scope_key(), query)),
        lambda: tuple(in_reader_language(query).values_list("pk", flat=True)),
        timeout=cached.fragment_seconds,
    )
    return RankedArticles(ids)


def capped(query, count):
    """Whether `count` results of `query` may be only the newest of more (the page then says
    so): a bounded search that found as many as it ranks."""
    return count >= queries.MAX_INDEXED_RESULTS and bounded(query)


class RankedArticles:
    """Search results known by their ranked ids: the paginator counts them with len(), and a
    page loads only its own rows, in rank order, with what the results list shows."""

    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def count(self):
        return len(self.ids)

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        ids = self.ids[item]
        rows = Article.objects.select_related("section", "cover").defer("search_vector")
        by_id = rows.in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]
