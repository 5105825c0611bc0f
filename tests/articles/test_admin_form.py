"""The article form: slugs, links to the site, the editor's media, library images in bodies."""

import re

import pytest
from django.urls import reverse

from articles.models import Article
from media.models import Image
from tests.articles.admin_forms import ADD_URL, change_url, errors_of, new_article

pytestmark = pytest.mark.django_db


def test_duplicate_slug_is_a_clear_error_and_keeps_the_typing(editor_client, make_article):
    existing = make_article(slug="taken-slug")
    body = "<h2>My long draft</h2><p>Every word I typed.</p>"
    response = new_article(
        editor_client, existing.section, title="A new story", slug="taken-slug", body=body
    )
    assert response.status_code == 200
    errors = errors_of(response)
    assert "already uses the slug" in str(errors["slug"])
    html = response.content.decode()
    assert "Every word I typed." in html
    assert 'value="A new story"' in html
    assert Article.objects.filter(slug="taken-slug").count() == 1


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("北京新闻发布会", r"^bei-jing-xin-wen-fa-bu-hui$"),
        ("🎉🎉🎉", r"^\d{4}-\d{2}-\d{2}-[a-z0-9]{6}$"),
        ("Ça déménage à Zürich", r"^ca-demenage-a-zurich$"),
    ],
)
def test_empty_slug_is_made_from_any_title(editor_client, section, title, expected):
    response = new_article(editor_client, section, title=title, slug="")
    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get(title=title)
    assert re.match(expected, article.slug), article.slug


def test_derived_slugs_are_made_unique(editor_client, section):
    for _ in range(2):
        response = new_article(editor_client, section, title="北京新闻", slug="")
        assert response.status_code == 302, errors_of(response)
    slugs = sorted(Article.objects.values_list("slug", flat=True))
    assert slugs == ["bei-jing-xin-wen", "bei-jing-xin-wen-2"]


def test_change_page_links_preview_and_view_on_site(editor_client, make_article, client):
    draft = make_article(status=Article.Status.DRAFT)
    page = editor_client.get(change_url(draft)).content.decode()
    preview = reverse("articles:preview", args=[draft.pk])
    assert f'href="{preview}"' in page
    assert "viewsitelink" not in page
    assert "Readership" in page and "QR code" in page and "Revisions" in page
    response = editor_client.get(preview)
    assert response.status_code == 200
    assert "Preview: not published" in response.content.decode()
    draft.refresh_from_db()
    assert draft.views == 0

    live = make_article()
    page = editor_client.get(change_url(live)).content.decode()
    assert "viewsitelink" in page


def test_editor_media_carries_the_csp_nonce(editor_client):
    response = editor_client.get(reverse(ADD_URL))
    html = response.content.decode()
    match = re.search(r'<script type="importmap"[^>]*nonce="([^"]+)"', html)
    assert match, "the prose editor's import map needs the CSP nonce"
    csp = response.headers.get("Content-Security-Policy", "")
    assert f"'nonce-{match.group(1)}'" in csp
    assert "django_prose_editor/editor.js" in html
    assert "data-django-prose-editor-configurable" in html


def test_library_images_get_size_and_alt_in_bodies(editor_client, section, make_image):
    image = make_image(name="harbour.jpg", alt_text="The harbour at dawn")
    Image.objects.filter(pk=image.pk).update(width=1200, height=800)
    image.refresh_from_db()
    body = (
        f'<figure><img src="{image.file.url}"><figcaption>Dawn</figcaption></figure>'
        '<p><img src="https://example.org/x.png" alt="outside"></p>'
    )
    response = new_article(editor_client, section, body=body)
    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get(slug="harbour-bridge-reopens")
    assert (
        f'<img src="{image.file.url}" alt="The harbour at dawn" width="{image.width}" '
        f'height="{image.height}">' in article.body
    )
    assert "<figcaption>Dawn</figcaption>" in article.body
    # An image from another site would be blocked by the page's CSP: the sanitiser drops it.
    assert "example.org" not in article.body


@pytest.mark.parametrize(
    ("language", "panel_labels"),
    [
        ("en", ["Readership", "QR code", "Revisions"]),
        ("zh-hans", ["阅读数据", "二维码", "修订记录"]),
    ],
)
def test_the_add_page_hides_the_panels_of_a_saved_article_in_every_language(
    editor_client, make_article, language, panel_labels
):
    """The panels are known by a key, not by their label, which the admin's language changes."""
    add_page = editor_client.get(reverse(ADD_URL), HTTP_ACCEPT_LANGUAGE=language)
    html = add_page.content.decode()
    assert f'<html lang="{language}"' in html
    for field in ("views_panel", "qr_panel", "revisions_panel"):
        assert f"field-{field}" not in html
    for label in panel_labels:
        assert f">{label}</h2>" not in html

    change_page = editor_client.get(change_url(make_article()), HTTP_ACCEPT_LANGUAGE=language)
    html = change_page.content.decode()
    for field in ("views_panel", "qr_panel", "revisions_panel"):
        assert f"field-{field}" in html
    for label in panel_labels:
        assert f">{label}</h2>" in html
