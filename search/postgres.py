"""PostgreSQL's full-text search on the stored `search_vector` (GIN index, migration 0003).

Title weighs A, summary B, body C, the words of the article's pictures D (search.image_text).
The vector is written after each save by a queryset UPDATE (so `Article.save()` never has to
know), with the language's text search configuration: 'english' (stemmed) for English,
'simple' for the rest.
"""

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import DEFAULT_DB_ALIAS
from django.db.models import F, Lookup, Q, Value

from articles.models import Article
from search import query as queries
from search.image_text import texts_of

CONFIGS = {"en": "english"}
DEFAULT_CONFIG = "simple"
IMAGE_BATCH = 500


def vector_for(language):
    config = CONFIGS.get(language, DEFAULT_CONFIG)
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("summary", weight="B", config=config)
        + SearchVector("body", weight="C", config=config)
    )


def with_images(vector, language, images_text):
    """`vector` plus the words of the article's pictures, when it shows any."""
    if not images_text:
        return vector
    config = CONFIGS.get(language, DEFAULT_CONFIG)
    return vector + SearchVector(Value(images_text), weight="D", config=config)


def update_vector(article, images_text="", using=DEFAULT_DB_ALIAS):
    """Recompute `article`'s stored vector from what was just saved."""
    vector = with_images(vector_for(article.language), article.language, images_text)
    Article.objects.using(using).filter(pk=article.pk).update(search_vector=vector)


def update_vectors(queryset=None):
    """Recompute the stored vectors of `queryset` (all articles by default), one UPDATE per
    language; returns how many articles were done."""
    queryset = Article.objects.all() if queryset is None else queryset
    changed = 0
    for language in queryset.values_list("language", flat=True).distinct().order_by():
        changed += queryset.filter(language=language).update(search_vector=vector_for(language))
    _add_images(queryset.filter(Q(cover__isnull=False) | Q(body__contains="<img")))
    return changed


def _add_images(queryset):
    """Add their pictures' words to the vectors of `queryset`'s articles (one UPDATE each),
    reading IMAGE_BATCH bodies at a time."""
    rows = queryset.order_by("pk").values_list("pk", "cover_id", "body", "language")
    last = None
    while batch := list((rows if last is None else rows.filter(pk__gt=last))[:IMAGE_BATCH]):
        last = batch[-1][0]
        languages = {pk: language for pk, _cover, _body, language in batch}
        texts = texts_of([(pk, cover_id, body) for pk, cover_id, body, _language in batch])
        for pk, text in texts.items():
            vector = with_images(vector_for(languages[pk]), languages[pk], text)
            queryset.filter(pk=pk).update(search_vector=vector)


def full_text(articles, query, limit=None):
    """The newest `limit` (default queries.MAX_INDEXED_RESULTS) of `articles` matching `query`
    (websearch syntax, English stemming or none), best first.

    Bounded so that words in most of a big site cost what a rare word costs: only the newest
    matches are ranked, found by a subquery that PostgreSQL stops at the limit (walking the
    newest first for common words, reading the GIN index for rare ones).
    """
    tsquery = SearchQuery(query, search_type="websearch", config="english") | SearchQuery(
        query, search_type="websearch", config=DEFAULT_CONFIG
    )
    newest = articles.filter(search_vector=tsquery).order_by("-published_at", "-id")
    newest = ArraySubquery(newest.values("pk")[: limit or queries.MAX_INDEXED_RESULTS])
    return (
        articles.filter(pk_in_array(newest))
        .annotate(rank=SearchRank(F("search_vector"), tsquery))
        .order_by("-rank", "-published_at", "-id")
    )


class _InArray(Lookup):
    """`lhs = ANY(rhs)`, used as a filter expression (never registered on a field)."""

    lookup_name = "in_array"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


def pk_in_array(array):
    """A filter: `id = ANY(ARRAY(SELECT ...))` rather than `id IN (SELECT ...)`.

    PostgreSQL runs the array's subquery once, before the rest, and reads the few articles it
    names by primary key; given `IN` it planned a semi join reading every live article.
    """
    return _InArray(F("pk"), array)
