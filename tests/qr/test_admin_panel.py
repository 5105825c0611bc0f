"""The QR panel on the article's admin page: a preview and the files for print."""

import io

import pytest
from django.contrib import admin
from django.urls import reverse
from PIL import Image

from articles.models import Article
from qr.admin import ArticleQRAdminMixin
from tests.qr.helpers import decode, png_url, svg_url

pytestmark = pytest.mark.django_db


def test_admin_panel_previews_code_and_links_downloads(client, editor, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    html = str(ArticleQRAdminMixin().qr_panel(draft))
    assert 'role="img"' in html and draft.get_short_url() in html
    assert "Readers can follow it once the article is published." in html
    assert "Download PNG for print (2048 px)" in html and "Download SVG" in html
    png_link = f"{png_url(draft)}?size=2048&amp;download=1"
    svg_link = f"{svg_url(draft)}?download=1"
    assert png_link in html and svg_link in html
    assert "appears here once" in ArticleQRAdminMixin().qr_panel(Article())

    client.force_login(editor)
    png = client.get(png_link.replace("&amp;", "&"))
    assert png["Content-Disposition"] == f'attachment; filename="{draft.slug}-qr.png"'
    assert Image.open(io.BytesIO(png.content)).size == (2048, 2048)
    assert decode(png.content) == [draft.get_short_url()]
    assert client.get(svg_link)["Content-Disposition"].startswith("attachment;")


def test_admin_change_page_shows_the_panel(admin_client, article):
    assert isinstance(admin.site._registry[Article], ArticleQRAdminMixin)
    response = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    assert b"Download PNG for print (2048 px)" in response.content
    assert article.get_short_url().encode() in response.content
