"""The admin's home is the editors' desk: what waits for review, what goes live today, what
readers read and scanned; each line links to the article's admin page, the app list stays, and
the page costs the same number of queries at any size of site."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from core import process_state
from qr.models import Placement, PlacementDay
from readership.models import DailyStat

pytestmark = pytest.mark.django_db

HOME = reverse("admin:index")
# A fixed moment early in the day, so "scheduled today" has room after it.
MORNING = timezone.make_aware(timezone.datetime(2026, 3, 10, 9, 0))


def change_link(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def desk_lists(response):
    return response.context["desk"]


@pytest.fixture
def newsroom(make_article, writer, editor):
    """A review queue, a schedule for today and tomorrow, and a week of readers and scans."""
    with time_machine.travel(MORNING, tick=False):
        today = timezone.localdate()
        made = {
            "review": make_article(title="Waiting for an editor", status="review", author=writer),
            "other review": make_article(
                title="Someone else's story", status="review", author=editor
            ),
            "noon": make_article(title="Noon announcement", published_at=MORNING.replace(hour=12)),
            "tomorrow": make_article(
                title="Tomorrow's story", published_at=MORNING + timedelta(days=1)
            ),
            "hit": make_article(title="Read by everyone"),
            "old hit": make_article(title="Read last week"),
            "scanned": make_article(title="Printed on the canteen board"),
        }
        DailyStat.objects.create(article=made["hit"], day=today, views=90, qr_scans=1)
        DailyStat.objects.create(article=made["old hit"], day=today - timedelta(days=3), views=500)
        DailyStat.objects.create(article=made["old hit"], day=today - timedelta(days=8), views=9000)
        DailyStat.objects.create(article=made["scanned"], day=today, views=2, qr_scans=40)
        board = Placement.objects.create(article=made["scanned"], name="Canteen board")
        PlacementDay.objects.create(placement=board, day=today - timedelta(days=1), scans=25)
    return made


def titles(items):
    return [item.title for item in items]


def test_the_editor_sees_the_whole_desk_with_links_and_the_app_list(editor_client, newsroom):
    with time_machine.travel(MORNING, tick=False):
        response = editor_client.get(HOME)
    assert response.status_code == 200
    desk = desk_lists(response)
    assert titles(desk["in_review"]) == ["Waiting for an editor", "Someone else's story"]
    assert titles(desk["scheduled_today"]) == ["Noon announcement"]
    assert titles(desk["read_today"]) == ["Read by everyone", "Printed on the canteen board"]
    assert titles(desk["read_week"])[:2] == ["Read last week", "Read by everyone"]
    assert [i.figure for i in desk["read_week"]][:2] == [500, 90]  # 8 days ago is not this week
    assert titles(desk["scanned_week"]) == ["Printed on the canteen board", "Read by everyone"]
    assert [(i.title, i.place, i.figure) for i in desk["placements_week"]] == [
        ("Printed on the canteen board", "Canteen board", 25)
    ]
    html = response.content.decode()
    for article in newsroom.values():
        if article.title != "Tomorrow's story":
            assert f'href="{change_link(article)}"' in html
    assert "Tomorrow's story" not in html
    assert reverse("admin:articles_article_changelist") in html  # the app list stays
    assert "Editors' desk" in html


def test_a_writer_sees_only_their_own_waiting_and_scheduled_articles(
    writer_client, writer, newsroom, make_article
):
    with time_machine.travel(MORNING, tick=False):
        make_article(title="My evening piece", author=writer, published_at=MORNING.replace(hour=18))
        desk = desk_lists(writer_client.get(HOME))
    assert titles(desk["in_review"]) == ["Waiting for an editor"]
    assert titles(desk["scheduled_today"]) == ["My evening piece"]


def test_staff_without_article_access_get_the_plain_app_list(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="pw-clerk-123", is_staff=True)
    client.force_login(clerk)
    response = client.get(HOME)
    assert response.status_code == 200
    assert response.context["desk"] is None
    assert "Editors' desk" not in response.content.decode()


def grow(make_article, count):
    """`count` more articles of every kind, with today's and this week's daily rows."""
    today = timezone.localdate()
    statuses = ["review", "published", "draft"]
    for n in range(count):
        article = make_article(
            status=statuses[n % 3], published_at=MORNING + timedelta(hours=n % 10)
        )
        DailyStat.objects.create(article=article, day=today - timedelta(days=n % 7), views=n + 1)


def cold():
    """Nothing of the desk cached: every list is asked of the database."""
    cache.clear()
    process_state.clear()


def test_the_desk_costs_the_same_queries_at_any_size(
    editor_client, newsroom, make_article, django_assert_max_num_queries
):
    with time_machine.travel(MORNING, tick=False):
        editor_client.get(HOME)  # the session and permissions, as on any admin page
        budget = 16  # session, user, permissions, two lists, four rankings and their titles, log
        cold()
        with django_assert_max_num_queries(budget) as small_queries:
            small = editor_client.get(HOME)
        grow(make_article, 60)
        cold()
        with django_assert_max_num_queries(budget) as big_queries:
            big = editor_client.get(HOME)
    assert len(big_queries) == len(small_queries)
    assert len(desk_lists(big)["in_review"]) == 8  # lists are bounded
    assert desk_lists(small)["in_review"] != desk_lists(big)["in_review"]
