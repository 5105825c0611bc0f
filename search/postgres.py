"""PostgreSQL's full-text search on the stored `search_vector` (GIN index, migration 0003).

Title weighs A, summary B, body C. The vector is written after each save by a queryset
UPDATE (so `Article.save()` never has to know), with the language's text search
configuration: 'english' (stemmed) for English, 'simple' for the rest.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import DEFAULT_DB_ALIAS
from django.db.models import F

from articles.models import Article

CONFIGS = {"en": "english"}
DEFAULT_CONFIG = "simple"


def vector_for(language):
    config = CONFIGS.get(language, DEFAULT_CONFIG)
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("summary", weight="B", config=config)
        + SearchVector("body", weight="C", config=config)
    )


def update_vector(article, using=DEFAULT_DB_ALIAS):
    """Recompute `article`'s stored vector from what was just saved."""
    Article.objects.using(using).filter(pk=article.pk).update(
        search_vector=vector_for(article.language)
    )


def update_vectors(queryset=None):
    """Recompute the stored vectors of `queryset` (all articles by default), one UPDATE per
    language; returns how many articles were done."""
    queryset = Article.objects.all() if queryset is None else queryset
    changed = 0
    for language in queryset.values_list("language", flat=True).distinct().order_by():
        changed += queryset.filter(language=language).update(search_vector=vector_for(language))
    return changed


def full_text(articles, query):
    """`articles` matching `query` (websearch syntax, English stemming or none), best first."""
    tsquery = SearchQuery(query, search_type="websearch", config="english") | SearchQuery(
        query, search_type="websearch", config=DEFAULT_CONFIG
    )
    return (
        articles.filter(search_vector=tsquery)
        .annotate(rank=SearchRank(F("search_vector"), tsquery))
        .order_by("-rank", "-published_at", "-id")
    )
