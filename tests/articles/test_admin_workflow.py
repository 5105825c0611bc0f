"""Writers and editors at the desk: drafts, review, publishing, scheduling, revisions."""

from datetime import timedelta

import pytest
import time_machine
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.articles.admin_forms import change_url, errors_of, new_article, post_form

pytestmark = pytest.mark.django_db


# --- writers --------------------------------------------------------------------------


def test_writer_creates_a_draft_and_cannot_publish_it(writer_client, writer, section):
    response = new_article(writer_client, section)
    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get(slug="harbour-bridge-reopens")
    assert article.status == Article.Status.DRAFT
    assert article.author == writer
    assert article.history.first().history_user == writer

    page = writer_client.get(change_url(article))
    status_choices = [v for v, _ in page.context["adminform"].form.fields["status"].choices]
    assert status_choices == ["draft", "review"]
    assert "published_at" not in page.context["adminform"].form.fields
    assert "featured" not in page.context["adminform"].form.fields

    # Forcing the status, or pressing a Publish button the page does not show, is refused.
    for change in ({"status": "published"}, {"_workflow": "publish"}):
        response = post_form(writer_client, change_url(article), **change)
        assert response.status_code == 200
        assert "status" in errors_of(response)
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT
        assert article.published_at is None
    # A forged time of issue is ignored: the field is read-only for writers.
    post_form(writer_client, change_url(article), published_at_0="2020-01-01", status="draft")
    article.refresh_from_db()
    assert article.published_at is None
    assert Client().get(article.get_absolute_url()).status_code == 404

    response = post_form(writer_client, change_url(article), _workflow="review")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_writer_cannot_touch_published_or_others_articles(
    writer_client, writer, other_writer, make_article
):
    published = make_article(author=writer)
    others = make_article(status=Article.Status.DRAFT, author=other_writer, title="Not yours")

    # Published: visible read-only, and a POST is refused.
    page = writer_client.get(change_url(published))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    response = writer_client.post(change_url(published), {"title": "Hijacked", "status": "draft"})
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.title != "Hijacked"
    assert published.status == Article.Status.PUBLISHED

    # Someone else's draft: not in the list, not reachable.
    listing = writer_client.get(reverse("admin:articles_article_changelist"))
    assert "Not yours" not in listing.content.decode()
    assert writer_client.get(change_url(others)).status_code == 302  # "doesn't exist" redirect
    assert writer_client.post(change_url(others), {"title": "x"}).status_code in (302, 403, 404)
    others.refresh_from_db()
    assert others.title == "Not yours"

    # No bulk publishing for writers.
    response = writer_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish_selected", "_selected_action": [published.pk]},
    )
    published.refresh_from_db()
    assert published.status == Article.Status.PUBLISHED
    assert 'value="publish_selected"' not in listing.content.decode()


def test_writer_cannot_restore_a_revision_of_a_published_article(
    writer_client, writer, make_article
):
    article = make_article(author=writer, body="<p>Old</p>")
    version = article.history.earliest()
    url = reverse("admin:articles_article_simple_history", args=[article.pk, version.history_id])
    assert writer_client.get(url).status_code == 200  # may look
    response = writer_client.post(url, {"title": "x", "status": "draft"})
    assert response.status_code == 403


# --- editors --------------------------------------------------------------------------


def test_editor_publishes_and_unpublishes(editor_client, writer_client, writer, section):
    new_article(writer_client, section, _workflow="review")
    article = Article.objects.get(slug="harbour-bridge-reopens")
    assert article.status == Article.Status.REVIEW
    writer_client.logout()

    # The editor sees the article in review, and publishes it with the Publish button.
    from django.contrib.auth import get_user_model

    editor_client.force_login(get_user_model().objects.get(username="editor"))
    listing = editor_client.get(reverse("admin:articles_article_changelist") + "?state=review")
    assert "Harbour bridge reopens" in listing.content.decode()
    response = post_form(editor_client, change_url(article), _workflow="publish")
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at is not None  # stamped on first publish
    public = editor_client.get(article.get_absolute_url())
    assert public.status_code == 200
    assert "Six months of works." in public.content.decode()
    editor_client.logout()
    assert editor_client.get(article.get_absolute_url()).status_code == 200
    assert editor_client.get(reverse("articles:home")).content.decode().count(article.title)

    # Unpublish with the bulk action: readers get a 404 again.
    editor_client.force_login(get_user_model().objects.get(username="editor"))
    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish_selected", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.history.first().history_user.username == "editor"
    editor_client.logout()
    assert editor_client.get(article.get_absolute_url()).status_code == 404


def test_bulk_publish(editor_client, make_article):
    drafts = [make_article(status=Article.Status.DRAFT) for _ in range(3)]
    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [a.pk for a in drafts]},
        follow=True,
    )
    assert "3 articles published." in response.content.decode()
    assert Article.objects.live().filter(pk__in=[a.pk for a in drafts]).count() == 3


def test_scheduled_article_goes_live_at_its_time(editor_client, client, section):
    when = timezone.now() + timedelta(days=2)
    response = new_article(
        editor_client,
        section,
        status="published",
        published_at_0=timezone.localtime(when).strftime("%Y-%m-%d"),
        published_at_1=timezone.localtime(when).strftime("%H:%M:%S"),
    )
    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get(slug="harbour-bridge-reopens")
    assert article.is_scheduled

    listing = editor_client.get(reverse("admin:articles_article_changelist"))
    assert "Scheduled for " in listing.content.decode()
    editor_client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404
    with time_machine.travel(when - timedelta(minutes=1)):
        assert client.get(article.get_absolute_url()).status_code == 404
    with time_machine.travel(when + timedelta(minutes=1)):
        assert client.get(article.get_absolute_url()).status_code == 200
        assert article.title in client.get(reverse("articles:home")).content.decode()


def test_restoring_a_revision_keeps_counters_and_short_code(editor_client, make_article):
    article = make_article(body="<p>First version of the story.</p>")
    post_form(editor_client, change_url(article), body="<p>Second version.</p>")
    article.refresh_from_db()
    assert article.body == "<p>Second version.</p>"
    Article.objects.filter(pk=article.pk).update(views=F("views") + 41, qr_scans=7)
    code = article.short_code

    first = article.history.earliest()
    revert_url = reverse(
        "admin:articles_article_simple_history", args=[article.pk, first.history_id]
    )
    page = editor_client.get(change_url(article))
    assert revert_url in page.content.decode()  # listed on the change page
    response = post_form(editor_client, revert_url)
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert article.body == "<p>First version of the story.</p>"
    assert article.views == 41
    assert article.qr_scans == 7
    assert article.short_code == code
    assert article.history.count() == 3
