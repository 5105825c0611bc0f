"""SQLite: the FTS5 trigram index (migration 0004) finds words, follows edits, stays bounded."""

import io

import pytest
from django.core.management import call_command
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from search import engine, sqlite_index
from search import query as search_query
from search.text import body_text
from tests.search.helpers import index_row, index_size, search_page, search_sql, table_sql


def test_index_table_exists_after_migrate(sqlite_index_ready):
    sql = table_sql()
    assert "fts5" in sql.lower()
    assert "trigram" in sql


def test_index_holds_text_not_markup(sqlite_index_ready, corpus):
    river = corpus["river"]
    assert index_row(river.pk) == (
        "Riverside line opens",
        "Trains run along the river from today.",
        "The new railway serves six stations.",
    )


def test_save_updates_the_index(sqlite_index_ready, client, corpus):
    article = corpus["river"]
    article.body = "<p>The new <em>tramway</em> serves six stations &amp; a port.</p>"
    article.save()
    assert index_row(article.pk)[2] == "The new tramway serves six stations & a port."
    _r, found = search_page(client, "railway")
    assert found == []
    _r, found = search_page(client, "tramway")
    assert found == [article]


def test_counter_only_saves_leave_the_index_alone(sqlite_index_ready, corpus):
    article = corpus["river"]
    with CaptureQueriesContext(connection) as queries:
        Article.objects.get(pk=article.pk).save(update_fields=["views"])
    assert not any("articles_search" in q["sql"] for q in queries.captured_queries)


def test_delete_removes_the_row(sqlite_index_ready, corpus):
    pk = corpus["budget"].pk
    assert index_row(pk) is not None
    corpus["budget"].delete()
    assert index_row(pk) is None
    before = index_size()
    Article.objects.filter(pk=corpus["river"].pk).delete()  # queryset deletes too
    assert index_size() == before - 1


def test_markup_is_not_searched(sqlite_index_ready, client, make_article):
    article = make_article(
        title="Dock cranes",
        body=(
            "<figure><img src='/media/x.png' alt='x'><figcaption>Night shift</figcaption>"
            "</figure><p><strong>Cranes</strong> worked late.</p>"
        ),
    )
    assert "figcaption" in Article.objects.get(pk=article.pk).body
    for q in ("figcaption", "figure", "strong", "media"):
        _r, found = search_page(client, q)
        assert found == [], q
    _r, found = search_page(client, "night shift")
    assert found == [article]


def test_search_runs_the_index_match(sqlite_index_ready, client, make_article):
    for n in range(3):
        make_article(title=f"Harbour story {n}")
    client.get("/search/", {"q": "harbour"})  # warm the cached parts of the page
    sql, found = search_sql(client, "harbour story")
    assert len(found) == 3
    assert any("MATCH" in q and "articles_search" in q for q in sql)
    for n in range(3, 30):
        make_article(title=f"Harbour story {n}", body=f"<p>Harbour news {n}.</p>")
    client.get("/search/", {"q": "harbour"})  # warm again: the saves changed the generation
    sql_many, found = search_sql(client, "harbour story")
    assert len(found) == 10
    assert len(sql_many) == len(sql)  # the query count does not grow with the matches


def test_chinese_through_the_index(sqlite_index_ready, client, corpus):
    for q, where in (("地铁线路", "title"), ("列车运行", "summary"), ("连接六个车站", "body")):
        sql, found = search_sql(client, q)
        assert found == [corpus["zh"]], where
        assert any("MATCH" in s for s in sql), where


def test_short_terms_alone_scan(sqlite_index_ready, client, corpus):
    sql, found = search_sql(client, "地铁")  # two characters: no trigram
    assert found == [corpus["zh"]]
    assert not any("MATCH" in s for s in sql)


def test_short_terms_narrowed_by_long_ones(sqlite_index_ready, client, make_article):
    ai = make_article(title="AI helps harbour cranes")
    make_article(title="Harbour cranes idle")
    sql, found = search_sql(client, "cranes AI")
    assert found == [ai]
    assert any("MATCH" in s for s in sql)
    _r, found = search_page(client, "cranes")
    assert len(found) == 2


def test_match_expression_quotes_every_word():
    assert sqlite_index.match_expression(["river", 'a"b', "NEAR("]) == (
        '"river" AND "a""b" AND "NEAR("'
    )


def test_fts_words_find_only_what_they_say(sqlite_index_ready, client, corpus):
    # Operators are plain words that must appear: none of these texts holds "not" or "and".
    _r, found = search_page(client, "NOT riverside")
    assert found == []
    _r, found = search_page(client, "riverside AND budget")
    assert found == []
    _r, found = search_page(client, "title:riverside")  # "title" is a word, not a column
    assert found == []
    _r, found = search_page(client, "riverside*")
    assert found[0] == corpus["river"]


def test_lone_surrogates_are_dropped(sqlite_index_ready, corpus):
    assert list(engine.search("\ud800riverside\udfff")) == [corpus["river"], corpus["budget"]]


def test_without_the_index_search_scans(sqlite_index_ready, client, corpus, monkeypatch):
    monkeypatch.setattr(sqlite_index, "is_ready", lambda using="default": False)
    sql, found = search_sql(client, "riverside")
    assert found[0] == corpus["river"]
    assert corpus["budget"] in found
    assert not any("MATCH" in s for s in sql)
    with CaptureQueriesContext(connection) as queries:
        corpus["river"].save()  # and saving writes nothing there
    assert not any("articles_search" in q["sql"] for q in queries.captured_queries)


def test_the_probe_is_asked_once_and_forgotten_after_migrate(sqlite_index_ready):
    from django.core.management.sql import emit_post_migrate_signal

    with CaptureQueriesContext(connection) as queries:
        assert sqlite_index.is_ready()
    assert queries.captured_queries == []
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # as `migrate` ends
    with CaptureQueriesContext(connection) as queries:
        assert sqlite_index.is_ready()
    assert any("sqlite_master" in q["sql"] for q in queries.captured_queries)


def test_generated_articles_are_found_at_once(sqlite_index_ready, section):
    call_command("generate_articles", count=200, views_days=0, stdout=io.StringIO())
    assert index_size() == Article.objects.count()
    newest = Article.objects.order_by("-id").first()
    assert newest in list(engine.search(newest.title)[:10])
    row = index_row(newest.pk)
    assert "<" not in row[2] and row[2] in body_text(newest.body)


def test_update_search_vectors_refills_the_index(sqlite_index_ready, client, corpus):
    sql = table_sql()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM articles_search")
    _r, found = search_page(client, "railway")
    assert found == []
    out = io.StringIO()
    call_command("update_search_vectors", stdout=out)
    assert f"{Article.objects.count()} articles" in out.getvalue()
    assert index_size() == Article.objects.count()
    assert table_sql() == sql  # made anew exactly as migration 0004 made it
    _r, found = search_page(client, "railway")
    assert found == [corpus["river"]]
    # For some articles only: their rows are replaced, the others kept.
    assert engine.update_search_vectors(Article.objects.filter(pk=corpus["zh"].pk)) == 1
    assert index_size() == Article.objects.count()


def test_update_search_vectors_without_the_index(sqlite_index_ready, corpus, monkeypatch):
    monkeypatch.setattr(sqlite_index, "is_ready", lambda using="default": False)
    out = io.StringIO()
    call_command("update_search_vectors", stdout=out)
    assert "nothing to do" in out.getvalue()
    assert engine.update_search_vectors() == 0


def test_index_is_used_at_scale(sqlite_index_ready, section):
    """With thousands of articles, the matches drive the query: the FTS5 table gives the ids,
    and articles are read by primary key; neither articles_article nor its article_live
    index is walked in full."""
    call_command("generate_articles", count=3000, views_days=0, stdout=io.StringIO())
    with CaptureQueriesContext(connection) as queries:
        page = Paginator(engine.search("robot line"), 10).page(1)
        assert len(page.object_list) == 10
        assert page.paginator.count > 10
    assert len(queries.captured_queries) == 2  # the count, the page: each with the match inside
    plans = []
    for query in queries.captured_queries:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            plans.append([row[-1] for row in cursor.fetchall()])
    for plan in plans:
        assert any("articles_search VIRTUAL TABLE INDEX" in step for step in plan), plan
        assert any("USING INTEGER PRIMARY KEY" in step for step in plan), plan
        assert not any(step.startswith("SCAN articles_article") for step in plan), plan
        assert not any("article_live" in step for step in plan), plan


def test_a_word_found_everywhere_ranks_only_the_newest_matches(
    sqlite_index_ready, client, make_article, monkeypatch
):
    """A word in most of a big site costs what a rare word costs: the index gives at most
    MAX_INDEXED_RESULTS ids, newest first, and the page says the results were cut."""
    monkeypatch.setattr(search_query, "MAX_INDEXED_RESULTS", 3)
    made = [make_article(title=f"Harbour story {n}") for n in range(5)]
    response, found = search_page(client, "harbour")
    assert sorted(a.pk for a in found) == sorted(a.pk for a in made[-3:])
    html = response.content.decode()
    assert "The 3 newest of many results for “harbour”" in html
    make_article(title="Rare tide table")
    response, found = search_page(client, "tide")
    assert "1 result for “tide”" in response.content.decode()


@pytest.mark.parametrize("q", ["riverside", "地铁", "cranes AI"])
def test_search_is_the_same_with_and_without_the_index(
    sqlite_index_ready, corpus, make_article, monkeypatch, q
):
    make_article(title="AI helps harbour cranes")
    with_index = [(a.pk, a.rank) for a in engine.search(q)]
    monkeypatch.setattr(sqlite_index, "is_ready", lambda using="default": False)
    assert [(a.pk, a.rank) for a in engine.search(q)] == with_index
