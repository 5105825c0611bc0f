"""The audit log: every workflow step through the real admin, kept after a delete, readable by
editors, filterable by person and article, and closed to those who may not change articles."""

import pytest
from django.urls import reverse

from articles.models import Article
from audit.models import AuditEntry
from tests.articles.admin_forms import change_url, new_article, post_form

pytestmark = pytest.mark.django_db

LOG = reverse("admin:audit_auditentry_changelist")


def actions(article_id):
    rows = AuditEntry.objects.filter(article_id=article_id).order_by("at", "pk")
    return [(row.actor_name, row.action) for row in rows]


def walk_the_workflow(writer_client, editor_client, section):
    """Writer creates and submits; editor publishes, unpublishes, restores, deletes."""
    new_article(writer_client, section, _workflow="review")
    article = Article.objects.get(slug="harbour-bridge-reopens")
    post_form(editor_client, change_url(article), _workflow="publish")
    editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish_selected", "_selected_action": [article.pk]},
    )
    first = article.history.earliest()
    post_form(
        editor_client,
        reverse("admin:articles_article_simple_history", args=[article.pk, first.history_id]),
    )
    delete_url = reverse("admin:articles_article_delete", args=[article.pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
    return article


@pytest.fixture
def both_clients(client, editor, writer):
    from django.test import Client

    writer_client = Client()
    writer_client.force_login(writer)
    client.force_login(editor)
    return writer_client, client


def test_every_step_is_logged_with_who_and_kept_after_the_delete(both_clients, section):
    article = walk_the_workflow(*both_clients, section)
    assert not Article.objects.filter(pk=article.pk).exists()
    assert actions(article.pk) == [
        ("writer", "created"),
        ("writer", "submitted"),
        ("editor", "published"),
        ("editor", "unpublished"),
        ("editor", "restored"),
        ("editor", "submitted"),  # the first revision was the one in review
        ("editor", "deleted"),
    ]
    assert set(AuditEntry.objects.values_list("article_title", flat=True)) == {article.title}


def test_editors_read_it_filtered_by_person_and_article(
    both_clients, section, editor, django_assert_max_num_queries
):
    article = walk_the_workflow(*both_clients, section)
    _writer_client, editor_client = both_clients
    with django_assert_max_num_queries(12):
        page = editor_client.get(LOG)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Harbour bridge reopens" in html and "Unpublished" in html
    by_editor = editor_client.get(f"{LOG}?actor={editor.pk}")
    assert {e.actor_name for e in by_editor.context["cl"].result_list} == {"editor"}
    by_article = editor_client.get(f"{LOG}?article_id={article.pk}")
    assert len(by_article.context["cl"].result_list) == 7
    assert editor_client.get(f"{LOG}?article_id=abc").status_code == 200


def test_the_log_is_read_only(both_clients, section):
    walk_the_workflow(*both_clients, section)
    _writer_client, editor_client = both_clients
    entry = AuditEntry.objects.first()
    assert editor_client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    change = reverse("admin:audit_auditentry_change", args=[entry.pk])
    assert editor_client.post(change, {"action": "created"}).status_code == 403
    delete = reverse("admin:audit_auditentry_delete", args=[entry.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_nobody_without_the_change_permission_sees_it(client, django_user_model):
    user = django_user_model.objects.create_user("viewer", password="pw-viewer-123")
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get(LOG).status_code == 403
    assert "audit" not in client.get(reverse("admin:index")).content.decode().lower()


def test_writers_read_only_what_they_did(both_clients, section):
    walk_the_workflow(*both_clients, section)
    writer_client, _editor_client = both_clients
    page = writer_client.get(LOG)
    assert page.status_code == 200
    assert {e.actor_name for e in page.context["cl"].result_list} == {"writer"}
