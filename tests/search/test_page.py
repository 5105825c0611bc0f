"""/search/: what the reader sees. Any query gives a normal page."""

import pytest

from articles.models import Article
from search.query import MAX_QUERY_CHARS
from tests.search.helpers import search_page
from tests.search.oracle import check_page, check_search

pytestmark = pytest.mark.django_db


def test_finds_live_articles_by_title_summary_and_body(client, corpus):
    _r, found = search_page(client, "riverside")
    assert found[0] == corpus["river"]  # a title hit ranks first
    assert corpus["budget"] in found  # body hit
    assert corpus["draft"] not in found
    _r, found = search_page(client, "council")
    assert found == [corpus["budget"]]
    _r, found = search_page(client, "railway")
    assert found == [corpus["river"]]


def test_every_word_must_match(client, corpus):
    _r, found = search_page(client, "riverside budget")
    assert found == [corpus["budget"]]


def test_query_words_are_marked_and_escaped(client, make_article):
    make_article(title="Tom <b>& Jerry</b> at the river", summary="River <i>day</i>")
    response, found = search_page(client, "river")
    html = response.content.decode()
    assert len(found) == 1
    assert "Tom &lt;b&gt;&amp; Jerry&lt;/b&gt; at the <mark>river</mark>" in html
    assert "<mark>River</mark> &lt;i&gt;day&lt;/i&gt;" in html
    assert "<b>&" not in html


def test_body_snippet_is_marked(client, corpus):
    response, _found = search_page(client, "railway")
    assert "The new <mark>railway</mark> serves six stations." in response.content.decode()


def test_chinese_queries_work(client, corpus):
    _r, found = search_page(client, "地铁")
    assert found == [corpus["zh"]]
    _r, found = search_page(client, "车站")  # in the body
    assert found == [corpus["zh"]]
    response, _found = search_page(client, "列车")
    assert "<mark>列车</mark>" in response.content.decode()


@pytest.mark.parametrize(
    "q",
    [
        "",
        "   ",
        "x" * 10_240,
        "' OR 1=1; DROP TABLE articles_article; --",
        '"unbalanced (quote & | ! :* <->',
        "🚆🚆 river 🎉",
        "\x00 nul \x01",
        "%_%",
        "!!!",
        "新闻 river",
    ],
)
def test_odd_queries_give_a_normal_page(client, corpus, q):
    check_page(client, q)
    check_search(q)
    assert Article.objects.filter(pk=corpus["river"].pk).exists()


def test_long_query_is_cut(client, corpus):
    response = client.get("/search/", {"q": "river " * 2000})
    assert response.status_code == 200
    assert len(response.context["query"]) <= MAX_QUERY_CHARS
    assert response.context["truncated"]


def test_empty_query_shows_the_form_only(client, corpus):
    response = client.get("/search/")
    assert response.status_code == 200
    assert response.context["page_obj"] is None
    assert b'name="q"' in response.content


def test_results_are_paginated_and_keep_the_query(client, make_article):
    for n in range(13):
        make_article(title=f"Harbour story {n}")
    response, found = search_page(client, "harbour")
    assert len(found) == 10
    html = response.content.decode()
    assert "?q=harbour&amp;page=2" in html
    _r, found2 = search_page(client, "harbour", page=2)
    assert len(found2) == 3
    assert not set(found) & set(found2)
    _r, found_junk = search_page(client, "harbour", page="junk")
    assert found_junk == found


def test_search_query_count_is_constant(client, make_article, django_assert_max_num_queries):
    for n in range(10):
        make_article(title=f"Harbour story {n}")
    client.get("/search/", {"q": "harbour"})
    with django_assert_max_num_queries(4):
        _response, found = search_page(client, "harbour")
    assert len(found) == 10


def test_search_page_has_noindex(client):
    assert b'name="robots" content="noindex' in client.get("/search/?q=x").content


def test_header_search_form_on_every_page(client, article):
    html = client.get("/").content.decode()
    assert 'role="search"' in html
    assert 'action="/search/"' in html
