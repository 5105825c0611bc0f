"""Search over live articles' titles, summaries and bodies: what other apps call.

`search()` picks the engine: PostgreSQL's full-text search (search.postgres), or words
matched one by one (search.word_search), through SQLite's FTS5 index or PostgreSQL's trigram
index where there is one (search.sqlite_index, search.pg_index). Through an index a search
ranks only the newest query.MAX_INDEXED_RESULTS matches (`bounded()`).
`update_search_vectors()` rebuilds whichever index the database has.
"""

from django.db import connection

from articles.models import Article
from core import pagecache
from search import pg_index, postgres, sqlite_index, word_search
from search.query import clean_query, terms, uses_full_text

__all__ = ["bounded", "clean_query", "search", "update_search_vectors"]


def search(query):
    """Live articles matching `query`, best first (`rank`), without bodies' vectors; none
    when the query has no words."""
    query = clean_query(query)
    words = terms(query)
    if not words:
        return Article.objects.none()
    if uses_full_text(query):
        found = postgres.full_text(Article.objects.live(), query)
    else:
        found = word_search.by_words(words)
    return found.select_related("section", "cover").defer("search_vector")


def bounded(query):
    """Whether search(query) ranks at most query.MAX_INDEXED_RESULTS of the newest matches: on
    PostgreSQL always (full text, or the trigram table), on SQLite when its index finds a word."""
    query = clean_query(query)
    words = terms(query)
    if not words:
        return False
    return uses_full_text(query) or pg_index.is_ready() or sqlite_index.narrows(words)


def update_search_vectors(queryset=None):
    """Recompute stored vectors on PostgreSQL, or the FTS5 index rows on SQLite, of
    `queryset` (all articles by default); returns how many articles were done. Cached
    search results are dropped (the cache generation moves on)."""
    if connection.vendor == "sqlite":
        changed = sqlite_index.update_rows(queryset)
    elif connection.vendor == "postgresql":
        changed = postgres.update_vectors(queryset)
        pg_index.update_rows(queryset)
    else:
        return 0
    pagecache.invalidate_all()
    return changed
