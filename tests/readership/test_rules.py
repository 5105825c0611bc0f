"""What counts as one view, through the real article page: one test per rule."""

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article
from readership import rules
from readership.models import DailyStat
from tests.readership.helpers import BOTS, shown_views, views
from tests.support.agents import CHROME


def test_a_browser_get_counts_and_shows_the_new_total(reader, article):
    response = reader.get(article.get_absolute_url())
    assert response.status_code == 200
    assert shown_views(response) == 1
    assert b"<span data-views>1</span>" in response.content
    assert views(article) == 1
    assert DailyStat.objects.get(article=article, day=timezone.localdate()).views == 1


def test_empty_user_agent_is_not_counted(article):
    for client in (Client(), Client(HTTP_USER_AGENT=""), Client(HTTP_USER_AGENT="   ")):
        assert client.get(article.get_absolute_url()).status_code == 200
    assert views(article) == 0


@pytest.mark.parametrize("kind", sorted(BOTS))
def test_bots_crawlers_previews_and_monitors_are_not_counted(kind, article):
    response = Client(HTTP_USER_AGENT=BOTS[kind]).get(article.get_absolute_url())
    assert response.status_code == 200
    assert views(article) == 0
    assert "nr_seen" not in response.cookies


def test_head_is_not_counted(reader, article):
    assert reader.head(article.get_absolute_url()).status_code == 200
    assert views(article) == 0


@pytest.mark.parametrize(
    "header",
    [
        {"HTTP_SEC_PURPOSE": "prefetch"},
        {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
        {"HTTP_PURPOSE": "prefetch"},
        {"HTTP_X_MOZ": "prefetch"},
        {"HTTP_X_PURPOSE": "preview"},
    ],
)
def test_prefetch_and_prerender_are_not_counted(header, reader, article):
    assert reader.get(article.get_absolute_url(), **header).status_code == 200
    assert views(article) == 0
    reader.get(article.get_absolute_url())  # the reader then opens it: counts
    assert views(article) == 1


def test_staff_are_not_counted_by_default(reader, editor, article):
    reader.force_login(editor)
    assert reader.get(article.get_absolute_url()).status_code == 200
    assert views(article) == 0


def test_staff_count_when_the_setting_says_so(settings, reader, editor, article):
    settings.NEWSROOM_VIEW_COUNT_STAFF = True
    reader.force_login(editor)
    reader.get(article.get_absolute_url())
    assert views(article) == 1


def test_a_logged_in_reader_who_is_not_staff_counts(reader, django_user_model, article):
    reader.force_login(django_user_model.objects.create_user("reader", password="pw-x-12345"))
    reader.get(article.get_absolute_url())
    assert views(article) == 1


def test_previews_are_not_counted(reader, editor, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    live = make_article()
    reader.force_login(editor)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.conf.settings.NEWSROOM_VIEW_COUNT_STAFF", True)
        assert reader.get(f"/preview/{draft.pk}/").status_code == 200
        assert reader.get(f"/preview/{live.pk}/").status_code == 200
        assert reader.get(draft.get_absolute_url()).status_code == 200  # staff see drafts
    assert views(draft) == 0
    assert views(live) == 0


def test_counting_can_be_switched_off(settings, reader, article):
    settings.NEWSROOM_COUNT_VIEWS = False
    reader.get(article.get_absolute_url())
    assert views(article) == 0


def test_should_count_for_a_post_endpoint(rf, article):
    post = rf.post("/api/v1/articles/1/view", HTTP_USER_AGENT=CHROME)
    assert rules.should_count(post) is False
    assert rules.should_count(post, method_ok=True) is True
    assert rules.is_countable_client(post) is True
    bot = rf.post("/api/v1/articles/1/view", HTTP_USER_AGENT=BOTS["monitor"])
    assert rules.should_count(bot, method_ok=True) is False
