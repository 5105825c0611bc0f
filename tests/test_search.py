"""/search/: full text on PostgreSQL, a portable fallback elsewhere; any query is a normal page."""

import pytest
from django.db import connection

from articles import search
from articles.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(make_article):
    return {
        "river": make_article(
            title="Riverside line opens",
            summary="Trains run along the river from today.",
            body="<p>The new <strong>railway</strong> serves six stations.</p>",
        ),
        "budget": make_article(
            title="City budget approved",
            summary="Council votes for schools.",
            body="<p>Money for the riverside park, too.</p>",
        ),
        "zh": make_article(
            title="新的地铁线路开通",
            summary="从今天起列车运行。",
            body="<p>这条铁路连接六个车站。</p>",
            language="zh-hans",
        ),
        "draft": make_article(
            title="Riverside draft", summary="Not yet.", status=Article.Status.DRAFT
        ),
    }


def results(client, q, **params):
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    return response, [r["article"] for r in response.context["results"]]


def test_finds_live_articles_by_title_summary_and_body(client, corpus):
    _r, found = results(client, "riverside")
    assert found[0] == corpus["river"]  # a title hit ranks first
    assert corpus["budget"] in found  # body hit
    assert corpus["draft"] not in found
    _r, found = results(client, "council")
    assert found == [corpus["budget"]]
    _r, found = results(client, "railway")
    assert found == [corpus["river"]]


def test_every_word_must_match(client, corpus):
    _r, found = results(client, "riverside budget")
    assert found == [corpus["budget"]]


def test_query_words_are_marked_and_escaped(client, make_article):
    make_article(title="Tom <b>& Jerry</b> at the river", summary="River <i>day</i>")
    response, found = results(client, "river")
    html = response.content.decode()
    assert len(found) == 1
    assert "Tom &lt;b&gt;&amp; Jerry&lt;/b&gt; at the <mark>river</mark>" in html
    assert "<mark>River</mark> &lt;i&gt;day&lt;/i&gt;" in html
    assert "<b>&" not in html


def test_body_snippet_is_marked(client, corpus):
    response, _found = results(client, "railway")
    assert "The new <mark>railway</mark> serves six stations." in response.content.decode()


def test_highlight_never_marks_inside_escapes():
    assert search.highlight("a & b", ["amp"]) == "a &amp; b"
    assert search.highlight('<x y="1">', ["x", "quot"]) == "&lt;<mark>x</mark> y=&quot;1&quot;&gt;"


def test_chinese_queries_work(client, corpus):
    _r, found = results(client, "地铁")
    assert found == [corpus["zh"]]
    _r, found = results(client, "车站")  # in the body
    assert found == [corpus["zh"]]
    response, _found = results(client, "列车")
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
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert Article.objects.filter(pk=corpus["river"].pk).exists()


def test_long_query_is_cut(client, corpus):
    response = client.get("/search/", {"q": "river " * 2000})
    assert response.status_code == 200
    assert len(response.context["query"]) <= search.MAX_QUERY_CHARS
    assert response.context["truncated"]


def test_empty_query_shows_the_form_only(client, corpus):
    response = client.get("/search/")
    assert response.status_code == 200
    assert response.context["page_obj"] is None
    assert b'name="q"' in response.content


def test_results_are_paginated_and_keep_the_query(client, make_article):
    for n in range(13):
        make_article(title=f"Harbour story {n}")
    response, found = results(client, "harbour")
    assert len(found) == 10
    html = response.content.decode()
    assert "?q=harbour&amp;page=2" in html
    _r, found2 = results(client, "harbour", page=2)
    assert len(found2) == 3
    assert not set(found) & set(found2)
    _r, found_junk = results(client, "harbour", page="junk")
    assert found_junk == found


def test_search_query_count_is_constant(client, make_article, django_assert_max_num_queries):
    for n in range(10):
        make_article(title=f"Harbour story {n}")
    client.get("/search/", {"q": "harbour"})
    with django_assert_max_num_queries(4):
        _response, found = results(client, "harbour")
    assert len(found) == 10


def test_search_page_has_noindex(client):
    assert b'name="robots" content="noindex' in client.get("/search/?q=x").content


def test_header_search_form_on_every_page(client, article):
    html = client.get("/").content.decode()
    assert 'role="search"' in html
    assert 'action="/search/"' in html


# --- PostgreSQL full-text -------------------------------------------------------------


def test_vector_is_stored_and_ranked(postgres_only, client, corpus):
    river = Article.objects.get(pk=corpus["river"].pk)
    assert river.search_vector  # filled after save
    assert search.uses_full_text("riverside")
    _r, found = results(client, "trains")  # stemmed: "Trains" ~ "train"
    assert found == [corpus["river"]]
    _r, found = results(client, "opening")  # english stemming: opens ~ opening
    assert found == [corpus["river"]]
    _r, found = results(client, "riverside -budget")  # websearch syntax
    assert found == [corpus["river"]]


def test_vector_follows_edits(postgres_only, client, corpus):
    article = corpus["budget"]
    article.title = "Harbour budget approved"
    article.save()
    _r, found = results(client, "harbour")
    assert found == [article]


def test_update_search_vectors_command(postgres_only, corpus):
    from django.core.management import call_command

    Article.objects.update(search_vector=None)
    call_command("update_search_vectors")
    assert not Article.objects.filter(search_vector__isnull=True).exists()


def test_gin_index_exists(postgres_only):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'articles_article'"
            " AND indexdef ILIKE '%%gin%%search_vector%%'"
        )
        assert cursor.fetchall()
