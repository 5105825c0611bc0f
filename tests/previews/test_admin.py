"""Making and revoking preview links in the admin: writers for their own drafts, editors for
any draft or article in review; never for published articles."""

import pytest
from django.urls import reverse

from articles.models import Article
from previews.links import url_for
from previews.models import PreviewLink
from tests.articles.admin_forms import change_url, form_values

pytestmark = pytest.mark.django_db

Status = Article.Status
ADD = reverse("admin:previews_previewlink_add")
LIST = reverse("admin:previews_previewlink_changelist")


@pytest.fixture
def own_draft(make_article, writer):
    return make_article(title="My draft", status=Status.DRAFT, author=writer)


@pytest.fixture
def others_draft(make_article, other_writer):
    return make_article(title="Their draft", status=Status.REVIEW, author=other_writer)


def make_link(client, article, days=7, note="legal"):
    page = client.get(f"{ADD}?article={article.pk}")
    assert page.status_code == 200
    data = {**form_values(page), "note": note, "days": days}
    return client.post(f"{ADD}?article={article.pk}", data)


def test_the_articles_page_offers_a_preview_link_for_drafts(writer_client, own_draft, article):
    page = writer_client.get(change_url(own_draft))
    assert f"{ADD}?article={own_draft.pk}" in page.content.decode()
    # Published: nothing to preview.
    assert "nr-sharelink" not in writer_client.get(change_url(article)).content.decode()


def test_a_writer_makes_a_link_for_their_own_draft(writer_client, writer, own_draft):
    response = make_link(writer_client, own_draft)
    assert response.status_code == 302
    link = PreviewLink.objects.get()
    assert (link.article, link.created_by, link.note) == (own_draft, writer, "legal")
    listing = writer_client.get(LIST)
    assert url_for(link) in listing.content.decode()


def test_a_writer_cannot_make_a_link_for_someone_elses_draft(
    writer_client, own_draft, others_draft
):
    page = writer_client.get(ADD)
    response = writer_client.post(ADD, {**form_values(page), "article": others_draft.pk, "days": 7})
    assert response.status_code == 200
    assert "article" in response.context["adminform"].form.errors
    assert not PreviewLink.objects.exists()


def test_an_editor_makes_links_for_any_draft_but_not_for_published_articles(
    editor_client, others_draft, article
):
    assert make_link(editor_client, others_draft).status_code == 302
    refused = make_link(editor_client, article)
    assert refused.status_code == 200 and refused.context["adminform"].form.errors
    assert PreviewLink.objects.count() == 1


@pytest.mark.parametrize("days", [0, 31, "x"])
def test_a_link_lives_one_to_thirty_days(editor_client, others_draft, days):
    response = make_link(editor_client, others_draft, days=days)
    assert response.status_code == 200 and "days" in response.context["adminform"].form.errors


def test_revoking_stops_the_link_at_once(editor_client, others_draft, client):
    make_link(editor_client, others_draft)
    link = PreviewLink.objects.get()
    url = url_for(link)
    assert client.get(url).status_code == 200
    data = {"action": "revoke_selected", "_selected_action": [link.pk]}
    assert editor_client.post(LIST, data).status_code == 302
    assert client.get(url).status_code == 404


def test_writers_see_only_links_to_their_own_articles(
    writer_client, editor, own_draft, others_draft
):
    mine = PreviewLink.objects.create(article=own_draft, created_by=editor)
    theirs = PreviewLink.objects.create(article=others_draft, created_by=editor)
    listing = writer_client.get(LIST).content.decode()
    assert url_for(mine) in listing and url_for(theirs) not in listing
    view = reverse("admin:previews_previewlink_change", args=[theirs.pk])
    assert writer_client.get(view).status_code == 302  # the admin's "doesn't exist" redirect


def test_readers_without_the_change_permission_see_no_links(client, django_user_model):
    user = django_user_model.objects.create_user("viewer", password="pw-viewer-123")
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get(LIST).status_code == 403
