"""/search/: full text on PostgreSQL, FTS5 trigrams on SQLite; any query is a normal page."""

import html as html_module
import io

import pytest
from django.core.exceptions import SuspiciousOperation
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from articles.models import Article
from search import engine

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
    assert engine.highlight("a & b", ["amp"]) == "a &amp; b"
    assert engine.highlight('<x y="1">', ["x", "quot"]) == "&lt;<mark>x</mark> y=&quot;1&quot;&gt;"


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
    assert len(response.context["query"]) <= engine.MAX_QUERY_CHARS
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
    assert engine.uses_full_text("riverside")
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


# --- SQLite: the FTS5 trigram index (migration 0004) ------------------------------------


@pytest.fixture
def sqlite_index(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 search index")
    assert engine.search_index_ready(), "no FTS5 trigram index: a SQLite build without FTS5?"


def index_row(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT title, summary, body FROM articles_search WHERE rowid = %s", [pk])
        return cursor.fetchone()


def index_size():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM articles_search")
        return cursor.fetchone()[0]


def table_sql():
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_search'")
        row = cursor.fetchone()
        return row[0] if row else None


def search_sql(client, q):
    """The SQL /search/?q= runs, and what it found."""
    with CaptureQueriesContext(connection) as queries:
        _r, found = results(client, q)
    return [query["sql"] for query in queries.captured_queries], found


def test_index_table_exists_after_migrate(sqlite_index):
    sql = table_sql()
    assert "fts5" in sql.lower()
    assert "trigram" in sql


def test_index_holds_text_not_markup(sqlite_index, corpus):
    river = corpus["river"]
    assert index_row(river.pk) == (
        "Riverside line opens",
        "Trains run along the river from today.",
        "The new railway serves six stations.",
    )


def test_save_updates_the_index(sqlite_index, client, corpus):
    article = corpus["river"]
    article.body = "<p>The new <em>tramway</em> serves six stations &amp; a port.</p>"
    article.save()
    assert index_row(article.pk)[2] == "The new tramway serves six stations & a port."
    _r, found = results(client, "railway")
    assert found == []
    _r, found = results(client, "tramway")
    assert found == [article]


def test_counter_only_saves_leave_the_index_alone(sqlite_index, corpus):
    article = corpus["river"]
    with CaptureQueriesContext(connection) as queries:
        Article.objects.get(pk=article.pk).save(update_fields=["views"])
    assert not any("articles_search" in q["sql"] for q in queries.captured_queries)


def test_delete_removes_the_row(sqlite_index, corpus):
    pk = corpus["budget"].pk
    assert index_row(pk) is not None
    corpus["budget"].delete()
    assert index_row(pk) is None
    before = index_size()
    Article.objects.filter(pk=corpus["river"].pk).delete()  # queryset deletes too
    assert index_size() == before - 1


def test_markup_is_not_searched(sqlite_index, client, make_article):
    article = make_article(
        title="Dock cranes",
        body=(
            "<figure><img src='/media/x.png' alt='x'><figcaption>Night shift</figcaption>"
            "</figure><p><strong>Cranes</strong> worked late.</p>"
        ),
    )
    assert "figcaption" in Article.objects.get(pk=article.pk).body
    for q in ("figcaption", "figure", "strong", "media"):
        _r, found = results(client, q)
        assert found == [], q
    _r, found = results(client, "night shift")
    assert found == [article]


def test_search_runs_the_index_match(sqlite_index, client, make_article):
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


def test_chinese_through_the_index(sqlite_index, client, corpus):
    for q, where in (("地铁线路", "title"), ("列车运行", "summary"), ("连接六个车站", "body")):
        sql, found = search_sql(client, q)
        assert found == [corpus["zh"]], where
        assert any("MATCH" in s for s in sql), where


def test_short_terms_alone_scan(sqlite_index, client, corpus):
    sql, found = search_sql(client, "地铁")  # two characters: no trigram
    assert found == [corpus["zh"]]
    assert not any("MATCH" in s for s in sql)


def test_short_terms_narrowed_by_long_ones(sqlite_index, client, make_article):
    ai = make_article(title="AI helps harbour cranes")
    make_article(title="Harbour cranes idle")
    sql, found = search_sql(client, "cranes AI")
    assert found == [ai]
    assert any("MATCH" in s for s in sql)
    _r, found = results(client, "cranes")
    assert len(found) == 2


def test_match_expression_quotes_every_word():
    assert engine.match_expression(["river", 'a"b', "NEAR("]) == ('"river" AND "a""b" AND "NEAR("')


FTS_JUNK = [
    '"',
    '""',
    "AND",
    "OR riverside",
    "riverside NOT",
    "NEAR(",
    "NEAR(riverside budget, 2)",
    "*",
    "river*",
    "^riverside",
    "-riverside",
    "col:",
    "title:riverside",
    "{title summary}: riverside",
    "riverside + budget",
    "(riverside",
    "riverside)",
    "'",
    "\\",
    "riv\x00erside",
    "\x00\x00\x00",
    "ri\u0301verside",
    "🚆🚆🚆",
    "שלום עולם",
    "\u200b\u200briverside",
    "\ufeffriverside",
    "%riverside%",
    "river_side",
]


@pytest.mark.parametrize("q", FTS_JUNK)
def test_match_syntax_junk_gives_a_normal_page(sqlite_index, client, corpus, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    list(engine.search(q)[:10])  # and the queryset itself never raises


def test_fts_words_find_only_what_they_say(sqlite_index, client, corpus):
    # Operators are plain words that must appear: none of these texts holds "not" or "and".
    _r, found = results(client, "NOT riverside")
    assert found == []
    _r, found = results(client, "riverside AND budget")
    assert found == []
    _r, found = results(client, "title:riverside")  # "title" is a word, not a column
    assert found == []
    _r, found = results(client, "riverside*")
    assert found[0] == corpus["river"]


def test_lone_surrogates_are_dropped(sqlite_index, corpus):
    assert list(engine.search("\ud800riverside\udfff")) == [corpus["river"], corpus["budget"]]


def test_without_the_index_search_scans(sqlite_index, client, corpus, monkeypatch):
    monkeypatch.setattr(engine, "search_index_ready", lambda using="default": False)
    sql, found = search_sql(client, "riverside")
    assert found[0] == corpus["river"]
    assert corpus["budget"] in found
    assert not any("MATCH" in s for s in sql)
    corpus["river"].save()  # and saving writes nothing there


def test_generated_articles_are_found_at_once(sqlite_index, section):
    from django.core.management import call_command

    call_command("generate_articles", count=200, views_days=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert index_size() == Article.objects.count()
    newest = Article.objects.order_by("-id").first()
    assert newest in list(engine.search(newest.title)[:10])
    row = index_row(newest.pk)
    assert "<" not in row[2] and row[2] in engine.body_text(newest.body)


def test_update_search_vectors_refills_the_index(sqlite_index, client, corpus):
    from django.core.management import call_command

    sql = table_sql()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM articles_search")
    _r, found = results(client, "railway")
    assert found == []
    out = io.StringIO()
    call_command("update_search_vectors", stdout=out)
    assert f"{Article.objects.count()} articles" in out.getvalue()
    assert index_size() == Article.objects.count()
    assert table_sql() == sql  # made anew exactly as migration 0004 made it
    _r, found = results(client, "railway")
    assert found == [corpus["river"]]
    # For some articles only: their rows are replaced, the others kept.
    assert engine.update_search_vectors(Article.objects.filter(pk=corpus["zh"].pk)) == 1
    assert index_size() == Article.objects.count()


def test_index_is_used_at_scale(sqlite_index, section):
    """With thousands of articles, the matches drive the query: the FTS5 table gives the ids,
    and articles are read by primary key; neither articles_article nor its article_live
    index is walked in full."""
    from django.core.management import call_command

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
    sqlite_index, client, make_article, monkeypatch
):
    """A word in most of a big site costs what a rare word costs: the index gives at most
    MAX_INDEXED_RESULTS ids, newest first, and the page says the results were cut."""
    monkeypatch.setattr(engine, "MAX_INDEXED_RESULTS", 3)
    made = [make_article(title=f"Harbour story {n}") for n in range(5)]
    response, found = results(client, "harbour")
    assert sorted(a.pk for a in found) == sorted(a.pk for a in made[-3:])
    html = response.content.decode()
    assert "The 3 newest of many results for “harbour”" in html
    make_article(title="Rare tide table")
    response, found = results(client, "tide")
    assert "1 result for “tide”" in response.content.decode()


def test_body_text_is_strip_tags_text():
    """The fast path for plain markup gives exactly what strip_tags + unescape give."""
    from tests.support.xss_payloads import PAYLOADS

    samples = [
        "<p>The new <strong>railway</strong> serves six stations.</p>",
        "<h2>Part</h2><p>A &amp; B &lt;c&gt; &#65;&#x42; &nbsp;x</p>",
        "a < b and c > d",
        '<img alt="a>b">x',
        "&foo bar &amp x a&",
        "<!-- c > d -->e",
        "<script>x<y; z>w</script>",
        "<<b>>",
        "</>",
        "<a<b>c",
        "<p title='x<y'>z</p>",
        "<textarea><b>x</b></textarea>",
        "<scrİpt>x</scrİpt>",
        "<p>x</p",
        *PAYLOADS,
    ]
    for sample in samples:
        expected = " ".join(html_module.unescape(strip_tags(sample)).split())
        assert engine.body_text(sample) == expected, sample


class FakeSchemaEditor:
    """What migration 0004 uses of a schema editor; runs its SQL inside the test's transaction
    (a real SQLite schema editor refuses to open inside one)."""

    def __init__(self, fail=None):
        self.connection = connection
        self.fail = fail
        self.executed = []

    def execute(self, sql, params=()):
        self.executed.append(sql)
        if self.fail:
            from django.db import OperationalError

            raise OperationalError(self.fail)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


@pytest.fixture
def forget_index_state():
    """The migration tests drop and make the table: whatever happens, probe it again after."""
    yield
    engine.forget_search_index()


def migration_0004():
    import importlib

    return importlib.import_module("articles.migrations.0004_sqlite_search_index")


def test_migration_0004_reverses_and_refills(sqlite_index, forget_index_state, client, corpus):
    from django.apps import apps

    migration = migration_0004()
    migration.drop_index(apps, FakeSchemaEditor())
    assert table_sql() is None
    engine.forget_search_index()
    assert not engine.search_index_ready()
    _r, found = results(client, "railway")  # the old scan, still working
    assert found == [corpus["river"]]

    migration.create_index(apps, FakeSchemaEditor())
    engine.forget_search_index()
    assert engine.search_index_ready()
    assert index_size() == Article.objects.count()
    assert index_row(corpus["river"].pk)[2] == "The new railway serves six stations."
    sql, found = search_sql(client, "railway")
    assert found == [corpus["river"]]
    assert any("MATCH" in s for s in sql)


def test_migration_0004_without_fts5_does_not_fail(sqlite_index, forget_index_state, caplog):
    from django.apps import apps

    editor = FakeSchemaEditor(fail="no such module: fts5")
    migration_0004().create_index(apps, editor)  # no exception: the table is skipped
    assert len(editor.executed) == 1
    assert "no such module: fts5" in caplog.text


def test_migration_0004_is_a_no_op_elsewhere(postgres_only):
    from django.apps import apps

    editor = FakeSchemaEditor()
    migration_0004().create_index(apps, editor)
    migration_0004().drop_index(apps, editor)
    assert editor.executed == []
    assert not engine.search_index_ready()


# Characters that mean something to FTS5, HTML or LIKE, any other (surrogates and controls too).
FTS_ALPHABET = (
    st.sampled_from([*"\"'*^-+:(){}[],.;&|<>!%_\\/ \x00\t", "NEAR", "AND"]) | st.characters()
)


def test_fuzzed_queries_never_fail(sqlite_index, corpus):
    @hsettings(max_examples=300, deadline=None, database=None, derandomize=True)
    @given(st.lists(FTS_ALPHABET, max_size=30).map("".join))
    def run(q):
        list(engine.search(q)[:10])
        engine.search(q).count()

    run()


@hsettings(max_examples=500, deadline=None, database=None, derandomize=True)
@given(st.lists(st.sampled_from(list("<>/&;#ab p=\"'!-x1İ")), max_size=40).map("".join))
def test_body_text_matches_strip_tags_on_fuzzed_markup(markup):
    try:
        expected = " ".join(html_module.unescape(strip_tags(markup)).split())
    except SuspiciousOperation:
        return
    assert engine.body_text(markup) == expected


def test_a_repeated_search_reuses_its_ranked_ids(
    sqlite_index, client, make_article, django_assert_max_num_queries
):
    """The second reader of a query (and every further page of it) loads only its rows."""
    made = [make_article(title=f"Harbour story {n}") for n in range(13)]
    _r, first = results(client, "harbour")
    with CaptureQueriesContext(connection) as queries:
        _r, again = results(client, "harbour")
    assert again == first
    assert not any("articles_search" in q["sql"] for q in queries.captured_queries)
    with django_assert_max_num_queries(1):
        _r, second_page = results(client, "harbour", page=2)
    assert sorted(a.pk for a in first + second_page) == sorted(a.pk for a in made)


def test_cached_search_results_follow_publish_unpublish_and_edits(
    sqlite_index, client, make_article
):
    river = make_article(title="Harbour opens")
    _r, found = results(client, "harbour")
    assert found == [river]
    newer = make_article(title="Harbour closes for winter")
    _r, found = results(client, "harbour")
    assert set(found) == {newer, river}  # a publish shows at once
    newer.status = Article.Status.DRAFT
    newer.save()
    _r, found = results(client, "harbour")
    assert found == [river]  # and so does an unpublish
    river.title = "Quay opens"
    river.save()
    response, found = results(client, "harbour")
    assert found == []
    assert "No articles match your search" in response.content.decode()


def test_ranked_articles_slices_in_rank_order(sqlite_index, make_article):
    a, b, c = (make_article(title=f"Tide {n}") for n in range(3))
    ranked = engine.RankedArticles((c.pk, a.pk, b.pk))
    assert len(ranked) == ranked.count() == 3
    assert ranked[0:2] == [c, a]
    assert ranked[2] == b
    page = Paginator(ranked, 2).page(2)
    assert list(page.object_list) == [b]
