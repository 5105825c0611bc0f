"""The article list: its query count does not grow with rows; filters and search."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article

pytestmark = pytest.mark.django_db


def count_changelist_queries(client):
    url = reverse("admin:articles_article_changelist")
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_changelist_queries_do_not_grow_with_rows(editor_client, editor, make_article, make_image):
    cover = make_image()
    for i in range(5):
        make_article(cover=cover, author=editor, views=i, qr_scans=i)
    five, response = count_changelist_queries(editor_client)
    assert response.context["cl"].result_count == 5
    for i in range(45):  # a full page (50 a page); more pages: tests/articles/test_admin_scale.py
        make_article(
            cover=cover if i % 2 else None,
            author=editor,
            status=Article.Status.PUBLISHED if i % 3 else Article.Status.DRAFT,
        )
    fifty, response = count_changelist_queries(editor_client)
    assert len(response.context["cl"].result_list) == 50
    assert fifty == five, (five, fifty)
    html = response.content.decode()
    for column in ("column-thumbnail", "column-status_badge", "column-views", "column-qr_scans"):
        assert column in html
    assert 'class="nr-thumb"' in html


def test_changelist_filters_and_search(editor_client, make_article):
    make_article(title="Quarterly results beat forecasts", body="<p>Revenue up 12%.</p>")
    make_article(title="New office opens", status=Article.Status.DRAFT)
    url = reverse("admin:articles_article_changelist")
    html = editor_client.get(url, {"q": "Revenue"}).content.decode()
    assert "Quarterly results" in html and "New office" not in html
    html = editor_client.get(url, {"state": "draft"}).content.decode()
    assert "New office" in html and "Quarterly results" not in html
    html = editor_client.get(url, {"state": "live"}).content.decode()
    assert "Quarterly results" in html and "New office" not in html
