"""The reader's pages through the test client."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article

pytestmark = pytest.mark.django_db


BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0 Safari/537.36"
)


def test_article_page_shows_reference_items(client, article):
    response = client.get(article.get_absolute_url(), headers={"user-agent": BROWSER_UA})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and article.title in html
    assert "Views: <span data-views>1</span>" in html
    assert "Time of issue" in html and "<time datetime=" in html
    assert "Scan the QR code to read on your phone" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert 'href="/news/news-center/">News center</a>' in html
    assert 'href="/news/company-news/">Company news</a>' in html


def test_draft_and_scheduled_are_404_for_readers(client, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    scheduled = make_article(published_at=timezone.now() + timedelta(days=1))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert b"Page not found" in client.get(draft.get_absolute_url()).content


def test_staff_preview_shows_banner_and_counts_nothing(client, editor, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert b"Preview: not published" in response.content
    draft.refresh_from_db()
    assert draft.views == 0


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999999", "1.5", ""])
def test_section_page_numbers_never_500(client, make_article, section, page):
    for _ in range(3):
        make_article()
    response = client.get(section.get_absolute_url(), {"page": page})
    assert response.status_code == 200


def test_unknown_pages_are_404(client, section):
    assert client.get("/news/no-such-section/").status_code == 404
    assert client.get("/news/company-news/no-such-article/").status_code == 404
