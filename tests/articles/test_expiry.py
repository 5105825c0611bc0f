"""An unpublish time (`expires_at`): the article leaves every page, feed, sitemap, search and
the API by itself at that time, with no cron job and no save, even from warm caches."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article
from tests.articles.admin_forms import change_url, errors_of, post_form

pytestmark = pytest.mark.django_db

TITLE = "Harbour ferry timetable for the regatta"


def reader_pages(article):
    """Every reader's surface an article shows on, with how it is named there."""
    return {
        "home": (reverse("articles:home"), TITLE),
        "section": (article.section.get_absolute_url(), TITLE),
        "feed": ("/feed/", TITLE),
        "atom": ("/feed/atom/", TITLE),
        "section feed": (f"{article.section.get_absolute_url()}feed/", TITLE),
        "sitemap": ("/sitemap-articles.xml", article.get_full_url()),
        "news sitemap": ("/sitemap-news.xml", article.get_full_url()),
        "search": ("/search/?q=regatta", "Harbour ferry timetable"),  # the word is marked
        "api list": ("/api/v1/articles", TITLE),
        "api search": ("/api/v1/articles?q=regatta", TITLE),
    }


@pytest.fixture
def expiring(make_article):
    make_article()  # a neighbour, so lists are never empty
    return make_article(title=TITLE, expires_at=timezone.now() + timedelta(hours=2))


def test_the_article_leaves_every_page_at_its_unpublish_time_from_warm_caches(client, expiring):
    pages = reader_pages(expiring)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert client.get(expiring.get_absolute_url()).status_code == 200
        assert client.get(f"/api/v1/articles/{expiring.pk}").status_code == 200
        for name, (url, shown) in pages.items():
            assert shown in client.get(url).content.decode(), name  # now cached
        traveller.shift(timedelta(hours=2, seconds=-5))
        for name, (url, shown) in pages.items():
            assert shown in client.get(url).content.decode(), name  # not yet
        traveller.shift(timedelta(seconds=10))  # no save: nothing moved the cache on
        assert client.get(expiring.get_absolute_url()).status_code == 404
        assert client.get(f"/api/v1/articles/{expiring.pk}").status_code == 404
        for name, (url, shown) in pages.items():
            response = client.get(url)
            assert response.status_code == 200, name
            assert shown not in response.content.decode(), name


def test_model_state_and_live_queryset(make_article):
    article = make_article(expires_at=timezone.now() + timedelta(minutes=5))
    assert article.is_live and not article.is_expired
    assert Article.objects.live().filter(pk=article.pk).exists()
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        article.refresh_from_db()
        assert not article.is_live and article.is_expired
        assert not Article.objects.live().filter(pk=article.pk).exists()
        assert workflow.status_label(article) == ("expired", "Expired")


def test_caches_of_pages_are_bounded_by_the_next_expiry(client, make_article, settings):
    """A section page's count and the article page itself are not kept past the expiry."""
    settings.NEWSROOM_CACHE_SECONDS = 3600
    article = make_article(title=TITLE, expires_at=timezone.now() + timedelta(seconds=30))
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert client.get(article.get_absolute_url()).status_code == 200
        traveller.shift(31)
        assert client.get(article.get_absolute_url()).status_code == 404
        assert TITLE not in client.get(article.section.get_absolute_url()).content.decode()


def test_api_and_feeds_tell_shared_caches_not_to_keep_past_the_expiry(client, make_article):
    article = make_article(title=TITLE, expires_at=timezone.now() + timedelta(seconds=20))
    with time_machine.travel(timezone.now(), tick=False):
        detail = client.get(f"/api/v1/articles/{article.pk}")
        control = detail["Cache-Control"]
        assert "max-age=19" in control or "max-age=20" in control, control
        assert "stale-while-revalidate=0" in control and "stale-if-error=0" in control
        feed = client.get("/feed/")
        assert feed["Cache-Control"] in ("public, max-age=20", "public, max-age=21")


def test_publishing_an_expired_article_again_clears_its_past_unpublish_time(make_article):
    article = make_article(expires_at=timezone.now() + timedelta(minutes=1))
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        article.refresh_from_db()
        assert workflow.publish(article)
        article.save()
        assert article.expires_at is None and article.is_live


# --- the admin ---------------------------------------------------------------------------


def _when(moment, part):
    local = timezone.localtime(moment)
    return local.strftime("%Y-%m-%d") if part == 0 else local.strftime("%H:%M:%S")


def test_editor_sets_an_unpublish_time_and_the_list_says_until_when(editor_client, make_article):
    article = make_article()
    later = timezone.now() + timedelta(days=3)
    response = post_form(
        editor_client,
        change_url(article),
        expires_at_0=_when(later, 0),
        expires_at_1=_when(later, 1),
    )
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert abs(article.expires_at - later) < timedelta(seconds=1)
    assert article.history.first().expires_at == article.expires_at  # kept in revisions
    listing = editor_client.get(reverse("admin:articles_article_changelist"))
    assert "Published until " in listing.content.decode()
    with time_machine.travel(later + timedelta(minutes=1)):
        expired = editor_client.get(
            reverse("admin:articles_article_changelist"), {"state": "expired"}
        )
        assert article.title in expired.content.decode()
        live = editor_client.get(reverse("admin:articles_article_changelist"), {"state": "live"})
        assert article.title not in live.content.decode()


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (timedelta(hours=-2), "must be after the time of issue"),  # before the time of issue
        (timedelta(minutes=-30), "must be in the future"),  # after issue, but already past
    ],
)
def test_unpublish_time_must_follow_the_time_of_issue_and_be_ahead(
    editor_client, make_article, offset, message
):
    article = make_article(published_at=timezone.now() - timedelta(hours=1))
    when = timezone.now() + offset
    response = post_form(
        editor_client, change_url(article), expires_at_0=_when(when, 0), expires_at_1=_when(when, 1)
    )
    assert response.status_code == 200
    assert message in str(errors_of(response)["expires_at"])
    article.refresh_from_db()
    assert article.expires_at is None


def test_scheduled_article_needs_its_unpublish_time_after_its_issue(editor_client, make_article):
    issue = timezone.now() + timedelta(days=2)
    article = make_article(published_at=issue)
    when = issue - timedelta(days=1)  # in the future, but before the time of issue
    response = post_form(
        editor_client, change_url(article), expires_at_0=_when(when, 0), expires_at_1=_when(when, 1)
    )
    assert "must be after the time of issue" in str(errors_of(response)["expires_at"])


def test_writers_cannot_set_an_unpublish_time(writer_client, writer, make_article):
    draft = make_article(status=Article.Status.DRAFT, author=writer)
    page = writer_client.get(change_url(draft))
    assert "expires_at" not in page.context["adminform"].form.fields
    later = timezone.now() + timedelta(days=1)
    post_form(
        writer_client, change_url(draft), expires_at_0=_when(later, 0), expires_at_1=_when(later, 1)
    )
    draft.refresh_from_db()
    assert draft.expires_at is None
