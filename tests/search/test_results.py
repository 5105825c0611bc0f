"""search.results: the page's results; when bounded, their ranked ids cached per change."""

from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from search.results import RankedArticles
from tests.search.helpers import search_page


def test_a_repeated_search_reuses_its_ranked_ids(
    sqlite_index_ready, client, make_article, django_assert_max_num_queries
):
    """The second reader of a query (and every further page of it) loads only its rows."""
    made = [make_article(title=f"Harbour story {n}") for n in range(13)]
    _r, first = search_page(client, "harbour")
    with CaptureQueriesContext(connection) as queries:
        _r, again = search_page(client, "harbour")
    assert again == first
    assert not any("articles_search" in q["sql"] for q in queries.captured_queries)
    with django_assert_max_num_queries(1):
        _r, second_page = search_page(client, "harbour", page=2)
    assert sorted(a.pk for a in first + second_page) == sorted(a.pk for a in made)


def test_cached_search_results_follow_publish_unpublish_and_edits(
    sqlite_index_ready, client, make_article
):
    river = make_article(title="Harbour opens")
    _r, found = search_page(client, "harbour")
    assert found == [river]
    newer = make_article(title="Harbour closes for winter")
    _r, found = search_page(client, "harbour")
    assert set(found) == {newer, river}  # a publish shows at once
    newer.status = Article.Status.DRAFT
    newer.save()
    _r, found = search_page(client, "harbour")
    assert found == [river]  # and so does an unpublish
    river.title = "Quay opens"
    river.save()
    response, found = search_page(client, "harbour")
    assert found == []
    assert "No articles match your search" in response.content.decode()


def test_ranked_articles_slices_in_rank_order(sqlite_index_ready, make_article):
    a, b, c = (make_article(title=f"Tide {n}") for n in range(3))
    ranked = RankedArticles((c.pk, a.pk, b.pk))
    assert len(ranked) == ranked.count() == 3
    assert ranked[0:2] == [c, a]
    assert ranked[2] == b
    page = Paginator(ranked, 2).page(2)
    assert list(page.object_list) == [b]
