"""The admin's list pages at newsroom scale: the same number of queries at a few hundred and a
few thousand articles, no COUNT of the table on every load, and the search box going through
the site's search engine (FTS5 / PostgreSQL full text), never a LIKE over every body."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section
from core import process_state
from readership.models import DailyStat
from search.engine import update_search_vectors

pytestmark = pytest.mark.django_db

ARTICLES = reverse("admin:articles_article_changelist")
LIST_PAGES = {
    "articles": ARTICLES,
    "articles, page 2": f"{ARTICLES}?p=2",
    "articles, live": f"{ARTICLES}?state=live",
    "articles, by views": f"{ARTICLES}?o=6",
    "articles, a section": None,  # filled in with the section's id
    "articles, search": f"{ARTICLES}?q=story",  # every title: more than a page at any size
    "sections": reverse("admin:articles_section_changelist"),
    "images": reverse("admin:media_image_changelist"),
    "desk": reverse("admin:index"),
    "audit log": reverse("admin:audit_auditentry_changelist"),
}
# The paginator's first query: the page's ids alone (core.admin_pagination).
PAGE_IDS_QUERY = 'SELECT "articles_article"."id" AS "pk"'
# Session, user, permissions, count, the page's ids, its rows, filters' choices, recent actions.
BUDGET = 16


def add_articles(section, count, start=0):
    """`count` articles of every status, each with a day of views, in bulk; then indexed."""
    now = timezone.now()
    statuses = ["published", "published", "draft", "review"]
    articles = Article.objects.bulk_create(
        Article(
            title=f"Harbour story {n}" if n % 50 == 0 else f"Story number {n}",
            slug=f"story-{n}",
            section=section,
            status=statuses[n % 4],
            published_at=now - timedelta(minutes=n),
            body=f"<p>Body of story {n}, by the sea.</p>",
            short_code=f"t{n:05d}",  # random codes of thousands of rows may collide
        )
        for n in range(start, start + count)
    )
    DailyStat.objects.bulk_create(
        DailyStat(article=article, day=timezone.localdate(), views=n)
        for n, article in enumerate(articles)
    )
    update_search_vectors()


def cold_queries(client, url, django_assert_max_num_queries):
    cache.clear()
    process_state.clear()
    with django_assert_max_num_queries(BUDGET) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in queries.captured_queries]


def test_list_pages_cost_the_same_queries_at_any_size(
    editor_client, section, django_assert_max_num_queries
):
    pages = {**LIST_PAGES, "articles, a section": f"{ARTICLES}?section__id__exact={section.pk}"}
    add_articles(section, 450)  # more than a page (100) of every filter
    small = {
        name: cold_queries(editor_client, url, django_assert_max_num_queries)
        for name, url in pages.items()
    }
    add_articles(section, 2500, start=450)
    big = {
        name: cold_queries(editor_client, url, django_assert_max_num_queries)
        for name, url in pages.items()
    }
    assert {name: len(sql) for name, sql in big.items()} == {
        name: len(sql) for name, sql in small.items()
    }


def test_the_article_list_counts_once_then_reuses_the_count(editor_client, section):
    add_articles(section, 300)
    first = editor_client.get(ARTICLES)
    assert first.context["cl"].result_count == 300
    with CaptureQueriesContext(connection) as queries:
        again = editor_client.get(f"{ARTICLES}?p=2")
    assert again.context["cl"].result_count == 300
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert again.context["cl"].full_result_count is None  # no second, unfiltered COUNT


def test_a_new_article_shows_in_the_count_at_once(editor_client, section, make_article):
    add_articles(section, 120)
    assert editor_client.get(ARTICLES).context["cl"].result_count == 120
    make_article(section=section)
    assert editor_client.get(ARTICLES).context["cl"].result_count == 121


def test_admin_search_uses_the_search_engine_and_finds_drafts(editor_client, section, make_article):
    add_articles(section, 200)
    draft = make_article(
        title="Ferry timetable draft", status="draft", body="<p>The lighthouse keeper.</p>"
    )
    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(ARTICLES, {"q": "lighthouse"})
    assert [a.pk for a in response.context["cl"].result_list] == [draft.pk]
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert '"body" LIKE' not in sql
    assert ("MATCH" in sql) if connection.vendor == "sqlite" else ("@@" in sql)
    harbour = editor_client.get(ARTICLES, {"q": "harbour story"})
    assert harbour.context["cl"].result_count == 4  # 0, 50, 100, 150
    assert editor_client.get(ARTICLES, {"q": "  "}).context["cl"].result_count == 201


def test_section_list_counts_each_sections_articles(editor_client, section, news_center):
    add_articles(section, 30)
    empty = Section.objects.create(name="Empty", slug="empty")
    response = editor_client.get(LIST_PAGES["sections"])
    rows = {s.pk: s.article_total for s in response.context["cl"].result_list}
    assert rows[section.pk] == 30 and rows[empty.pk] == 0 and rows[news_center.pk] == 0


@pytest.mark.parametrize(
    "order, index", [("-6", "article_views"), ("6", "article_views"), ("-7", "article_qr_scans")]
)
def test_sorting_by_a_counter_reads_its_index_on_sqlite(editor_client, section, order, index):
    """Without the index SQLite reads every article (each row's page, body and all) to sort."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL has no counter index: it would end HOT updates for every view")
    add_articles(section, 120)
    Article.objects.update(views=F("id") % 37, qr_scans=F("id") % 41)
    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(ARTICLES, {"o": order})
    column = "views" if index == "article_views" else "qr_scans"
    shown = [getattr(article, column) for article in response.context["cl"].result_list]
    assert shown == sorted(shown, reverse=order.startswith("-")) and len(set(shown)) > 5
    ids_sql = next(
        q["sql"] for q in queries.captured_queries if q["sql"].startswith(PAGE_IDS_QUERY)
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + ids_sql)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert f"COVERING INDEX {index}" in plan, plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan, plan
