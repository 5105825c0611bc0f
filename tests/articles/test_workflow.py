"""The workflow rules and slugs, below the admin: who may do what, and slugs for any title."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles import slugs, workflow
from articles.models import Article

pytestmark = pytest.mark.django_db
Status = Article.Status


def test_groups_from_the_data_migration():
    writers = set(Group.objects.get(name="Writers").permissions.values_list("codename", flat=True))
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article", "view_article", "view_image"} <= writers
    assert "publish_article" not in writers and "delete_article" not in writers
    assert {"publish_article", "delete_article", "change_section", "change_image"} <= editors


def test_who_may_publish_and_edit(writer, editor, django_user_model, make_article):
    assert workflow.can_publish(editor) and not workflow.can_publish(writer)
    own_draft = make_article(status=Status.DRAFT, author=writer)
    own_review = make_article(status=Status.REVIEW, author=writer)
    own_live = make_article(author=writer)
    others = make_article(status=Status.DRAFT, author=editor)
    assert workflow.can_edit(writer, own_draft)
    assert workflow.can_edit(writer, own_review)
    assert not workflow.can_edit(writer, own_live)
    assert not workflow.can_edit(writer, others)
    assert all(workflow.can_edit(editor, a) for a in (own_draft, own_live, others))
    nobody = django_user_model.objects.create_user("nobody", password="pw-nobody-123")
    assert not workflow.can_edit(nobody, own_draft)


def test_transitions(writer, editor):
    workflow.check_transition(writer, None, Status.DRAFT)
    workflow.check_transition(writer, Status.DRAFT, Status.REVIEW)
    workflow.check_transition(writer, Status.REVIEW, Status.DRAFT)
    with pytest.raises(ValidationError, match="Only editors can publish"):
        workflow.check_transition(writer, Status.REVIEW, Status.PUBLISHED)
    with pytest.raises(ValidationError, match="Only editors can unpublish"):
        workflow.check_transition(writer, Status.PUBLISHED, Status.DRAFT)
    for old in (None, Status.DRAFT, Status.REVIEW, Status.PUBLISHED):
        for new in Status.values:
            workflow.check_transition(editor, old, new)


def test_publish_stamps_now_and_keeps_a_schedule(make_article):
    article = make_article(status=Status.DRAFT)
    assert workflow.publish(article)
    assert article.published_at is not None
    assert abs(article.published_at - timezone.now()) < timedelta(seconds=5)
    later = timezone.now() + timedelta(days=1)
    scheduled = make_article(status=Status.DRAFT)
    workflow.publish(scheduled, when=later)
    scheduled.save()
    assert scheduled.is_scheduled
    state, label = workflow.status_label(scheduled)
    assert state == "scheduled" and label.startswith("Scheduled for ")
    assert workflow.unpublish(scheduled) and scheduled.status == Status.DRAFT
    assert workflow.status_label(scheduled) == ("draft", "Draft")


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Harbour bridge reopens", "harbour-bridge-reopens"),
        ("北京新闻", "bei-jing-xin-wen"),
        ("Ça déménage", "ca-demenage"),
        ("  ", ""),
        ("🎉", ""),
        ("a" * 300, "a" * 200),
    ],
)
def test_slug_from_title(title, slug):
    assert slugs.slug_from_title(title) == slug


def test_fallback_and_unique_slugs(make_article, section):
    article = Article(title="🎉", section=section)
    fallback = slugs.slug_for(article, "🎉")
    assert fallback == f"{timezone.localtime():%Y-%m-%d}-{article.short_code}"
    make_article(slug="launch")
    make_article(slug="launch-2")
    assert slugs.unique_in_section("launch", section.pk) == "launch-3"
    assert slugs.unique_in_section("fresh", section.pk) == "fresh"


def test_writer_add_page_hides_editor_fields(client, writer):
    client.force_login(writer)
    response = client.get(reverse("admin:articles_article_add"))
    form = response.context["adminform"].form
    assert [v for v, _ in form.fields["status"].choices] == ["draft", "review"]
    assert not {"published_at", "featured", "author"} & set(form.fields)
    html = response.content.decode()
    assert 'value="review"' in html and "Submit for review" in html
    assert 'name="_workflow" value="publish"' not in html


def test_history_page_lists_revisions(client, editor, make_article):
    article = make_article()
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert response.status_code == 200
    assert article.title in response.content.decode()
