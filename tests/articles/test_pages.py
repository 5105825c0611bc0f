"""The reader's pages through the test client."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Section
from readership.models import DailyStat
from tests.support.agents import CHROME

pytestmark = pytest.mark.django_db


def test_article_page_shows_reference_items(client, article):
    response = client.get(article.get_absolute_url(), headers={"user-agent": CHROME})
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


# --- The "most read" block -----------------------------------------------------------------


def most_read_titles(client, url):
    html = client.get(url).content.decode()
    if 'class="most-read"' not in html:
        return []
    block = html[html.index('class="most-read"') : html.index("</aside>")]
    return re.findall(r'<a href="[^"]+">([^<]+)</a>', block)


def read(article, views, days_ago=0):
    DailyStat.objects.create(
        article=article, day=timezone.localdate() - timedelta(days=days_ago), views=views
    )


def test_most_read_ranks_the_weeks_views_and_a_section_shows_its_own(
    client, make_article, section, news_center
):
    elsewhere = Section.objects.create(name="Elsewhere", slug="elsewhere", parent=news_center)
    steady, busy, old, other = (make_article(title=t) for t in ("Steady", "Busy", "Old", "Other"))
    other.section = elsewhere
    other.save()
    read(steady, 5)
    read(steady, 5, days_ago=6)
    read(busy, 30)
    read(old, 100, days_ago=7)  # a week ago: out of "this week"
    read(other, 20)
    assert most_read_titles(client, "/") == ["Busy", "Other", "Steady"]
    assert most_read_titles(client, section.get_absolute_url()) == ["Busy", "Steady"]


def test_most_read_is_at_most_a_minute_old(client, make_article, time_machine):
    first, second = make_article(title="First"), make_article(title="Second")
    read(first, 2)
    assert most_read_titles(client, "/") == ["First"]
    read(second, 5)  # counting saves no article: the cached page and block stand...
    assert most_read_titles(client, "/") == ["First"]
    time_machine.move_to(timezone.now() + timedelta(seconds=61))  # ...for a minute at most
    assert most_read_titles(client, "/") == ["Second", "First"]


def test_an_unpublished_article_leaves_most_read_at_once(client, make_article, section):
    kept, withdrawn = make_article(title="Kept"), make_article(title="Withdrawn")
    read(kept, 1)
    read(withdrawn, 9)
    for url in ("/", section.get_absolute_url()):
        assert most_read_titles(client, url) == ["Withdrawn", "Kept"]
    withdrawn.status = Article.Status.DRAFT
    withdrawn.save()
    for url in ("/", section.get_absolute_url()):
        assert most_read_titles(client, url) == ["Kept"]
