"""Workflow emails: a submission tells the editors, a publication tells the author, and a mail
server that fails never stops an article from being saved."""

import logging

import pytest
from django.test import Client

from articles.models import Article
from tests.articles.admin_forms import change_url, errors_of, new_article, post_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def clients(client, editor, writer):
    writer_client = Client()
    writer_client.force_login(writer)
    client.force_login(editor)
    return writer_client, client


def test_submitting_emails_the_editors_and_publishing_emails_the_author(
    clients, section, mailoutbox, django_capture_on_commit_callbacks
):
    writer_client, editor_client = clients
    with django_capture_on_commit_callbacks(execute=True):
        new_article(writer_client, section, _workflow="review")
    assert [m.to for m in mailoutbox] == [["editor@example.com"]]
    submitted = mailoutbox[0]
    assert "Harbour bridge reopens" in submitted.subject
    article = Article.objects.get(slug="harbour-bridge-reopens")
    assert f"http://testserver/admin/articles/article/{article.pk}/change/" in submitted.body
    assert "writer" in submitted.body

    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(editor_client, change_url(article), _workflow="publish")
    assert response.status_code == 302, errors_of(response)
    assert [m.to for m in mailoutbox[1:]] == [["writer@example.com"]]
    assert article.get_absolute_url() in mailoutbox[1].body


def test_saving_a_draft_emails_no_one(
    clients, section, mailoutbox, django_capture_on_commit_callbacks
):
    writer_client, _editor_client = clients
    with django_capture_on_commit_callbacks(execute=True):
        new_article(writer_client, section)
    assert mailoutbox == []


def test_a_failing_mail_server_never_blocks_saving(
    clients, section, settings, caplog, django_capture_on_commit_callbacks
):
    # A closed port on loopback: the SMTP connection is refused at once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    writer_client, _editor_client = clients
    with (
        caplog.at_level(logging.ERROR, logger="notifications"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = new_article(writer_client, section, _workflow="review")
    assert len(callbacks) >= 1
    assert response.status_code == 302, errors_of(response)
    assert Article.objects.get(slug="harbour-bridge-reopens").status == Article.Status.REVIEW
    assert "could not send the submitted notice" in caplog.text
