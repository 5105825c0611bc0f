"""An article credited to a person with an author page links to it: the byline on the page, the
JSON-LD author's `url`, the feeds' author link. Nobody else's byline is linked to them."""

import json
import re

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.models import Author
from tests.articles.test_seo import HeadParser

pytestmark = pytest.mark.django_db
PAGE = "http://testserver/authors/lin-yue/"


@pytest.fixture(autouse=True)
def site_name(settings):
    settings.SITE_NAME = "Harbor Automation"


def byline_and_author(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    (byline,) = re.findall(r'<li class="article__byline">(.*?)</li>', html) or [None]
    parser = HeadParser()
    parser.feed(html)
    (ld,) = [json.loads(text) for text in parser.ld]
    return byline, ld["author"]


CASES = [
    # byline, printed byline, JSON-LD author
    ("", 'By <a href="/authors/lin-yue/" rel="author">Lin Yue</a>',
     {"@type": "Person", "name": "Lin Yue", "url": PAGE}),
    ("By Lin Yue", '<a href="/authors/lin-yue/" rel="author">By Lin Yue</a>',
     {"@type": "Person", "name": "Lin Yue", "url": PAGE}),
    ("by LIN YUE", '<a href="/authors/lin-yue/" rel="author">by LIN YUE</a>',
     {"@type": "Person", "name": "LIN YUE", "url": PAGE}),
    ("By Wen Tao", "By Wen Tao", {"@type": "Person", "name": "Wen Tao"}),  # a guest
    ("By the Harbor Automation newsroom", "By the Harbor Automation newsroom",
     {"@type": "Organization", "name": "the Harbor Automation newsroom"}),
]  # fmt: skip


@pytest.mark.parametrize(("byline", "printed", "author"), CASES)
def test_the_byline_links_the_author_page_only_when_it_names_them(
    client, lin, make_article, byline, printed, author
):
    article = make_article(author=lin.user, byline=byline)
    assert byline_and_author(client, article) == (printed, author)


def test_an_author_without_a_profile_is_not_linked(client, make_article, django_user_model):
    user = django_user_model.objects.create_user("ann", first_name="Ann", last_name="Lee")
    article = make_article(author=user)
    assert byline_and_author(client, article) == (None, {"@type": "Person", "name": "Ann Lee"})


def test_a_new_profile_links_the_cached_article_page(client, make_article, django_user_model):
    user = django_user_model.objects.create_user("lin")
    article = make_article(author=user)
    assert byline_and_author(client, article)[0] is None
    Author.objects.create(user=user, name="Lin Yue", slug="lin-yue")
    assert byline_and_author(client, article)[0] == (
        'By <a href="/authors/lin-yue/" rel="author">Lin Yue</a>'
    )


def test_feeds_link_the_author_page(client, lin, make_article):
    make_article(author=lin.user)
    rss = feedparser.parse(client.get("/feed/atom/").content)
    assert rss.entries[0].author_detail == {"name": "Lin Yue", "href": PAGE}


def test_the_article_page_loads_the_profile_with_the_article(client, lin, make_article):
    """The profile comes joined to the article's own query: no query of its own."""
    article = make_article(author=lin.user)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(article.get_absolute_url()).content.decode()
    assert 'rel="author"' in html
    from_profiles = [q["sql"] for q in queries if 'FROM "people_author"' in q["sql"]]
    assert from_profiles == []
