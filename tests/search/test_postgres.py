"""PostgreSQL: the stored, weighted vector and its full-text search."""

import pytest
from django.core.management import call_command
from django.db import connection

from articles.models import Article
from search.query import uses_full_text
from tests.search.helpers import search_page


def test_vector_is_stored_and_ranked(postgres_only, client, corpus):
    river = Article.objects.get(pk=corpus["river"].pk)
    assert river.search_vector  # filled after save
    assert uses_full_text("riverside")
    assert not uses_full_text("地铁")
    _r, found = search_page(client, "trains")  # stemmed: "Trains" ~ "train"
    assert found == [corpus["river"]]
    _r, found = search_page(client, "opening")  # english stemming: opens ~ opening
    assert found == [corpus["river"]]
    _r, found = search_page(client, "riverside -budget")  # websearch syntax
    assert found == [corpus["river"]]


def test_title_outranks_body(postgres_only, client, corpus):
    _r, found = search_page(client, "riverside")
    assert found == [corpus["river"], corpus["budget"]]


def test_vector_follows_edits(postgres_only, client, corpus):
    article = corpus["budget"]
    article.title = "Harbour budget approved"
    article.save()
    _r, found = search_page(client, "harbour")
    assert found == [article]


def test_raw_saves_leave_the_vector_alone(postgres_only, corpus):
    """Fixtures (loaddata) save raw: their vectors come from update_search_vectors."""
    from search.indexing import article_saved

    article = corpus["budget"]
    Article.objects.filter(pk=article.pk).update(search_vector=None)
    article_saved(Article, article, raw=True)
    assert Article.objects.get(pk=article.pk).search_vector is None
    article_saved(Article, article)
    assert Article.objects.get(pk=article.pk).search_vector


def test_update_search_vectors_command(postgres_only, corpus):
    import io

    Article.objects.update(search_vector=None)
    out = io.StringIO()
    call_command("update_search_vectors", stdout=out)
    assert f"Updated search vectors of {Article.objects.count()} articles." in out.getvalue()
    assert not Article.objects.filter(search_vector__isnull=True).exists()


def test_gin_index_exists(postgres_only):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'articles_article'"
            " AND indexdef ILIKE '%%gin%%search_vector%%'"
        )
        assert cursor.fetchall()


@pytest.mark.parametrize("q", ["地铁", "列车运行"])
def test_chinese_falls_back_to_words(postgres_only, client, corpus, q):
    _r, found = search_page(client, q)
    assert found == [corpus["zh"]]
