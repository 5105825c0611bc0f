"""PostgreSQL: Chinese queries read the pg_trgm index of `search_text`, not every article."""

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article
from search import pg_index
from search.engine import search, update_search_vectors
from tests.search.helpers import search_page

pytestmark = pytest.mark.postgres

ARTICLES = 20_000
RARE = "潮汐发电站"  # in a handful of articles: an index finds them without reading the rest


def test_table_and_trigram_index_exist(postgres_only):
    assert pg_index.is_ready()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [pg_index.INDEX])
        [(definition,)] = cursor.fetchall()
    assert "gin" in definition and "gin_trgm_ops" in definition


def test_rows_follow_saves_and_deletes(postgres_only, corpus):
    zh = corpus["zh"]
    zh.summary = "新增潮汐发电站的介绍。"
    zh.save()
    assert list(search("潮汐发电站")) == [zh]
    zh.delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_text WHERE article_id = %s", [zh.pk])
        assert cursor.fetchone()[0] == 0


@pytest.mark.parametrize("q", ["100%", "a_b", "\\"])
def test_like_wildcards_are_literal(postgres_only, client, corpus, q):
    assert search_page(client, q)[1] == []


def _many_articles(section):
    now = timezone.now()
    filler = "<p>公司新闻：机器人生产线今天运行正常，工厂继续扩建。</p>" * 4
    rows = []
    for n in range(ARTICLES):
        rare = RARE if n % 4000 == 0 else "风力发电"
        rows.append(
            Article(
                title=f"第{n}号新闻",
                slug=f"news-{n}",
                section=section,
                language="zh-hans",
                summary=f"关于{rare}的报道。",
                body=filler,
                status=Article.Status.PUBLISHED,
                published_at=now - timezone.timedelta(minutes=n + 1),
                short_code=f"z{n:05d}",  # 20,000 random codes collide about one run in five
            )
        )
    Article.objects.bulk_create(rows, batch_size=2000)
    update_search_vectors()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {pg_index.TABLE}")
        cursor.execute("ANALYZE articles_article")


@pytest.mark.slow
def test_chinese_query_plan_uses_the_trigram_index(postgres_only, section):
    _many_articles(section)
    found = search(RARE)
    assert found.count() == ARTICLES // 4000
    sql, params = found.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert pg_index.INDEX in plan, plan
    assert f"Seq Scan on {pg_index.TABLE}" not in plan, plan
