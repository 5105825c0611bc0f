"""`generate_articles`: a large site fast, the same one for the same seed, with daily rows."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum

from articles.models import Article
from readership.models import DailyStat

pytestmark = pytest.mark.django_db


def generate(**options):
    call_command("generate_articles", stdout=open("/dev/null", "w"), **options)  # noqa: SIM115


def snapshot():
    return list(Article.objects.order_by("id").values_list("title", "section__slug", "views"))


def test_generates_live_articles_with_daily_rows(section):
    generate(count=150, seed=7, views_days=5)
    assert Article.objects.live().count() == 150
    assert DailyStat.objects.exists()
    # Totals are the sum of the daily rows, as the counters keep them.
    for article in Article.objects.all()[:20]:
        rows = article.daily_stats.aggregate(total=Sum("views"))["total"] or 0
        assert article.views == rows
    assert len(set(Article.objects.values_list("short_code", flat=True))) == 150


def test_same_seed_same_site(section):
    generate(count=40, seed=3, views_days=2)
    first = snapshot()
    Article.objects.all().delete()
    generate(count=40, seed=3, views_days=2)
    assert snapshot() == first
    generate(count=40, seed=4, views_days=0)  # a second run adds, never collides
    assert Article.objects.count() == 80


def test_works_on_an_empty_site(db):
    generate(count=10, seed=1, views_days=0)
    assert Article.objects.live().count() == 10
    assert client_can_open_one(Article.objects.first())


def client_can_open_one(article):
    from django.test import Client

    return Client().get(article.get_absolute_url()).status_code == 200


def test_leaves_postgresql_with_fresh_planner_statistics(postgres_only, section):
    """Autovacuum analyzes a bulk load only later; until then search planned for empty tables."""
    generate(count=137, seed=3, views_days=2)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN (%s, %s)",
            [Article._meta.db_table, DailyStat._meta.db_table],
        )
        estimated = dict(cursor.fetchall())
    assert estimated == {
        Article._meta.db_table: Article.objects.count(),
        DailyStat._meta.db_table: DailyStat.objects.count(),
    }
