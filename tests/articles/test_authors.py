"""Who an article is by, alike in its JSON-LD and in the RSS and Atom feeds: a person, the
newsroom as an Organization, or the publisher; never with the "By" a byline is printed with."""

import json

import feedparser
import pytest

from articles import seo
from articles.demo.content import ARTICLES
from articles.models import Article
from tests.articles.test_seo import HeadParser

pytestmark = pytest.mark.django_db
PERSON, ORGANIZATION = "Person", "Organization"

CASES = [
    # byline, author's (first, last) name or None, expected type, expected name
    ("", ("Ann", "Lee"), PERSON, "Ann Lee"),
    ("", ("", ""), PERSON, "ann"),  # no full name: the username
    ("By Wen Tao", ("Ann", "Lee"), PERSON, "Wen Tao"),  # the byline wins
    ("by Lin Yue", None, PERSON, "Lin Yue"),
    ("Byron Smith", None, PERSON, "Byron Smith"),  # not a "By" prefix
    ("By the Harbor Automation newsroom", None, ORGANIZATION, "the Harbor Automation newsroom"),
    ("Harbor Automation", None, ORGANIZATION, "Harbor Automation"),
    ("Staff", ("Ann", "Lee"), ORGANIZATION, "Staff"),
    ("By the editors", None, ORGANIZATION, "the editors"),
    ("新闻中心编辑部", None, ORGANIZATION, "新闻中心编辑部"),
    ("", None, ORGANIZATION, "Harbor Automation"),  # nobody named: the publisher
    ("By ", None, ORGANIZATION, "Harbor Automation"),
]


@pytest.fixture(autouse=True)
def site_name(settings):
    settings.SITE_NAME = "Harbor Automation"


@pytest.fixture
def make_case(make_article, django_user_model):
    def make(byline, names):
        author = None
        if names is not None:
            first, last = names
            author = django_user_model.objects.create_user("ann", first_name=first, last_name=last)
        return make_article(byline=byline, author=author)

    return make


def json_ld_author(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    parser = HeadParser()
    parser.feed(response.content.decode())
    (ld,) = [json.loads(text) for text in parser.ld]
    return ld["author"]


def feed_authors(client):
    authors = []
    for url in ("/feed/", "/feed/atom/"):
        feed = feedparser.parse(client.get(url).content)
        assert not feed.bozo, feed.bozo_exception
        authors.append(feed.entries[0].author)
    return authors


@pytest.mark.parametrize(("byline", "names", "kind", "name"), CASES)
def test_json_ld_and_feeds_name_the_same_author(client, make_case, byline, names, kind, name):
    article = make_case(byline, names)
    assert json_ld_author(client, article) == {"@type": kind, "name": name}
    assert feed_authors(client) == [name, name]


def test_the_page_still_prints_the_byline_as_written(client, make_case):
    article = make_case("By the Harbor Automation newsroom", None)
    html = client.get(article.get_absolute_url()).content.decode()
    assert ">By the Harbor Automation newsroom<" in html


def test_the_demo_newsroom_byline_is_the_organisation():
    (byline,) = {data["byline"] for data in ARTICLES if data.get("byline")}
    assert seo.author(Article(byline=byline)) == {
        "@type": ORGANIZATION,
        "name": "the Harbor Automation newsroom",
    }
