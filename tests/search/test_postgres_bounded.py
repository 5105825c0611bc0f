"""PostgreSQL: a search ranks only the newest MAX_INDEXED_RESULTS matches, as on SQLite.

Full text keeps the newest by time of issue, the Chinese (trigram) path the newest by id; the
page says the results were cut, pages on, and a repeated search reuses its cached ranked ids.
The cap is patched to a few articles instead of making hundreds.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from search import admin as search_admin
from search import query as search_query
from tests.search.helpers import search_page, search_sql

pytestmark = pytest.mark.postgres

CAP = 12


@pytest.fixture
def small_cap(postgres_only, monkeypatch):
    monkeypatch.setattr(search_query, "MAX_INDEXED_RESULTS", CAP)


def _made(make_article, count, title):
    """`count` live articles, created in an order unlike their times of issue (every third is
    the newest issued), so keeping the newest by time and by id give different sets."""
    now = timezone.now()
    return [
        make_article(
            title=f"{title} {n}",
            published_at=now - timedelta(hours=1, minutes=(n * 7) % count),
        )
        for n in range(count)
    ]


def _newest_issued(articles, count):
    return {a.pk for a in sorted(articles, key=lambda a: a.published_at, reverse=True)[:count]}


def test_full_text_ranks_only_the_newest_issued_and_says_so(small_cap, client, make_article):
    made = _made(make_article, CAP + 5, "Harbour story")
    response, first = search_page(client, "harbour")
    assert len(first) == 10
    assert f"The {CAP} newest of many results for “harbour”" in response.content.decode()
    response, second = search_page(client, "harbour", page=2)
    assert len(second) == CAP - 10
    assert f"Page 2 of {(CAP + 9) // 10}" in response.content.decode()
    assert {a.pk for a in first + second} == _newest_issued(made, CAP)


def test_fewer_matches_than_the_cap_are_all_counted(small_cap, client, make_article):
    _made(make_article, 3, "Harbour story")
    make_article(title="Quay story")
    response, found = search_page(client, "harbour")
    assert len(found) == 3
    html = response.content.decode()
    assert "3 results for “harbour”" in html and "newest of many" not in html


def test_drafts_and_scheduled_articles_take_no_place_in_the_cap(small_cap, client, make_article):
    """The full-text cap counts live articles only: newer drafts do not crowd them out."""
    made = _made(make_article, CAP, "Harbour story")
    soon = timezone.now() + timedelta(days=1)
    make_article(title="Harbour story scheduled", published_at=soon)
    make_article(title="Harbour story draft", status="draft")
    _r, first = search_page(client, "harbour")
    _r, second = search_page(client, "harbour", page=2)
    assert {a.pk for a in first + second} == {a.pk for a in made}


def test_chinese_ranks_only_the_newest_by_id_and_says_so(small_cap, client, make_article):
    made = _made(make_article, CAP + 5, "港口新闻报道")
    response, first = search_page(client, "港口新闻")
    assert f"The {CAP} newest of many results for “港口新闻”" in response.content.decode()
    _r, second = search_page(client, "港口新闻", page=2)
    assert {a.pk for a in first + second} == {a.pk for a in made[-CAP:]}


@pytest.mark.parametrize("q", ["harbour", "港口新闻"])
def test_a_repeated_search_reuses_its_ranked_ids(
    small_cap, client, make_article, django_assert_max_num_queries, q
):
    """The second reader of a query, and every further page of it, loads only its rows."""
    _made(make_article, CAP + 5, f"{q} story")
    _r, first = search_page(client, q)
    with CaptureQueriesContext(connection) as queries:
        _r, again = search_page(client, q)
    assert again == first
    searched = [s["sql"] for s in queries.captured_queries if "search_" in s["sql"]]
    assert not searched, searched
    with django_assert_max_num_queries(1):
        _r, second_page = search_page(client, q, page=2)
    assert len(second_page) == CAP - 10


def test_the_admin_search_is_bounded_too(postgres_only, editor_client, make_article, monkeypatch):
    monkeypatch.setattr(search_admin, "ADMIN_MAX_MATCHES", 3)
    english = _made(make_article, 5, "Harbour story")
    chinese = _made(make_article, 5, "港口新闻报道")
    url = reverse("admin:articles_article_changelist")
    response = editor_client.get(url, {"q": "harbour"})
    assert {a.pk for a in response.context["cl"].result_list} == _newest_issued(english, 3)
    response = editor_client.get(url, {"q": "港口新闻"})
    assert {a.pk for a in response.context["cl"].result_list} == {a.pk for a in chinese[-3:]}


@pytest.mark.parametrize("q", ["harbour", "港口新闻"])
def test_the_newest_matches_are_an_array_read_first(small_cap, client, make_article, q):
    """`id = ANY(ARRAY(...))`, not `id IN (...)`: given IN, PostgreSQL planned a semi join that
    read every live article (docs/decisions.md, "PostgreSQL: bounded like SQLite")."""
    make_article(title=f"{q} story")
    sql, found = search_sql(client, q)
    assert len(found) == 1
    [ranking] = [s for s in sql if "ARRAY(SELECT" in s]
    assert "= ANY((ARRAY(SELECT" in ranking and f"LIMIT {CAP}" in ranking, ranking
