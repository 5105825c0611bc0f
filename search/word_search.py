"""Search by words: each must appear in the title, summary or body; title hits rank first.

The portable search: SQLite's, and PostgreSQL's for Chinese (which its parsers cannot
split), there through the trigram index of search.pg_index. Ranking: per word 3 for a title
hit, 2 for a summary hit, 1 otherwise; then newest.
On SQLite the FTS5 index (search.sqlite_index) finds the words of 3+ characters; shorter
words ("AI", "机器") cannot use trigrams and are checked with icontains on the rows the
long words left. Only a query whose words are all short scans every live article, as does
any query without the index.
"""

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When

from articles.models import Article
from search import pg_index, sqlite_index


def by_words(words):
    """Live articles holding every one of `words`, ranked (`rank`), best first."""
    articles = Article.objects.live()
    checked = words
    if pg_index.is_ready():
        # Every word in the trigram-indexed text (its pictures' words too): the index finds the
        # rows for the words of 3+ characters, PostgreSQL checks the shorter ones on those.
        articles = articles.filter(pg_index.matching(words))
        checked = []
    elif sqlite_index.narrows(words):
        found = [word for word in words if len(word) >= sqlite_index.TRIGRAM]
        # The index's rows drive the query, each checked for being live by its primary key.
        # With live()'s conditions on the outer query instead, SQLite (no statistics) would
        # walk the whole article_live index and test every live article against the matches.
        articles = Article.objects.filter(pk__in=sqlite_index.matching_ids(found)).filter(
            Exists(Article.objects.live().filter(pk=OuterRef("pk")))
        )
        checked = [word for word in words if len(word) < sqlite_index.TRIGRAM]
    matches = Q()
    for word in checked:
        matches &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
    return (
        articles.filter(matches)
        .annotate(rank=_rank(words))
        .order_by("-rank", "-published_at", "-id")
    )


def _rank(words):
    score = Value(0)
    for word in words:
        score = score + Case(
            When(title__icontains=word, then=Value(3)),
            When(summary__icontains=word, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    return score
