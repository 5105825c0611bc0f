"""The article admin's search box through the site's search engine, not a LIKE scan of every
body: PostgreSQL's full text (the stored, GIN-indexed vector) or trigram table (Chinese), or
SQLite's FTS5 index, over articles of any status. Composed into the article admin like the QR
and readership mixins."""

from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from search import pg_index, postgres, sqlite_index
from search.query import clean_query, terms, uses_full_text

# The index gives at most this many of the newest matches (on SQLite and for PostgreSQL's
# trigram table by id, for its full text by time of issue), so a word found in most of a big
# site costs what a rare word costs; the help text says so.
ADMIN_MAX_MATCHES = 2000


def matching(articles, raw_query):
    """`articles` (a queryset, drafts included) holding every word of `raw_query`."""
    query = clean_query(raw_query)
    words = terms(query)
    if not words:
        return articles
    if uses_full_text(query):
        # The admin orders the result its own way.
        return postgres.full_text(articles, query, limit=ADMIN_MAX_MATCHES)
    checked = words
    if pg_index.is_ready():
        articles = articles.filter(pg_index.matching(words, limit=ADMIN_MAX_MATCHES))
        checked = []
    elif sqlite_index.narrows(words):
        found = [word for word in words if len(word) >= sqlite_index.TRIGRAM]
        articles = articles.filter(pk__in=_indexed_ids(found))
        checked = [word for word in words if len(word) < sqlite_index.TRIGRAM]
    for word in checked:  # words the index cannot find (one or two characters) on what is left
        articles = articles.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        )
    return articles


def _indexed_ids(words):
    """A subquery: ids of the newest ADMIN_MAX_MATCHES articles the FTS5 index finds."""
    return RawSQL(  # noqa: S611 (fixed SQL; the words are one bound parameter)
        sqlite_index.MATCH_SQL + " ORDER BY rowid DESC LIMIT %s",
        [sqlite_index.match_expression(words), ADMIN_MAX_MATCHES],
    )


class ArticleSearchAdminMixin:
    """The article list's search (and the article autocomplete's) through `matching`."""

    search_fields = ["title"]  # shows the box; get_search_results below does the searching
    search_help_text = format_lazy(
        _(
            "Search titles, summaries and bodies: whole words on PostgreSQL, any three or more "
            "letters on SQLite; the {count} newest matches."
        ),
        count=f"{ADMIN_MAX_MATCHES:,}",
    )

    def get_search_results(self, request, queryset, search_term):
        return matching(queryset, search_term), False
