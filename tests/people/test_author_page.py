"""Author pages (/authors/<slug>/): who they are, their live articles, paged and cached."""

import json
import re
from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from articles.models import Article
from tests.articles.test_seo import HeadParser

SITE_URL = "https://news.example.org"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_pages(settings):
    settings.NEWSROOM_PAGE_SIZE = 2


def titles(response):
    html = response.content.decode()
    return re.findall(r'class="card__title"><a href="[^"]+"[^>]*>([^<]+)</a>', html)


def test_the_page_shows_name_role_photo_and_bio(client, lin):
    response = client.get("/authors/lin-yue/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="page-title">Lin Yue</h1>' in html
    assert '<p class="profile__role">Reporter</p>' in html
    # Plain text: paragraphs kept, markup shown as typed, never run.
    assert "<p>Lin covers the plants.</p>" in html
    assert "She &lt;b&gt;was&lt;/b&gt; a shipyard reporter." in html
    assert re.search(r'<picture>.*alt="Portrait of Lin Yue"', html)
    assert "No articles yet." in html


def test_the_page_lists_their_live_articles_newest_first(client, lin, make_author, make_article):
    other = make_author(name="Ada Brandt", slug="ada-brandt")
    now = timezone.now()
    make_article(title="Older", author=lin.user, published_at=now - timedelta(days=1))
    make_article(title="Newer", author=lin.user, published_at=now - timedelta(hours=1))
    make_article(title="By Ada", author=other.user)
    make_article(title="Draft", author=lin.user, status=Article.Status.DRAFT)
    make_article(title="Scheduled", author=lin.user, published_at=now + timedelta(hours=1))
    assert titles(client.get("/authors/lin-yue/")) == ["Newer", "Older"]
    assert titles(client.get("/authors/ada-brandt/")) == ["By Ada"]


def test_the_page_is_paged_and_junk_page_numbers_never_fail(client, lin, make_article):
    now = timezone.now()
    for n in range(5):
        make_article(title=f"Story {n}", author=lin.user, published_at=now - timedelta(hours=n + 1))
    assert titles(client.get("/authors/lin-yue/", {"page": 2})) == ["Story 2", "Story 3"]
    for page, first in [("abc", "Story 0"), ("0", "Story 4"), ("99", "Story 4"), ("", "Story 0")]:
        response = client.get("/authors/lin-yue/", {"page": page})
        assert response.status_code == 200
        assert titles(response)[0] == first, page


@pytest.mark.parametrize(
    "url", ["/authors/nobody/", "/authors/nobody/feed/", "/authors/%E6%9E%97/", "/authors/x/y/"]
)
def test_an_unknown_author_is_a_styled_404(client, lin, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_the_feed_lists_their_live_articles(client, lin, make_author, make_article):
    make_article(title="By Lin", author=lin.user)
    make_article(title="By someone else", author=make_author(name="Ada", slug="ada").user)
    response = client.get("/authors/lin-yue/feed/")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert [entry.title for entry in feed.entries] == ["By Lin"]
    assert feed.feed.link == "http://testserver/authors/lin-yue/"
    assert 'href="/authors/lin-yue/feed/"' in client.get("/authors/lin-yue/").content.decode()


def test_the_page_has_description_canonical_and_a_profile_card(client, settings, lin):
    settings.SITE_URL = SITE_URL
    settings.SITE_NAME = "Harbor Automation"
    lin.bio = "Lin covers the plants."
    lin.save()
    parser = HeadParser()
    parser.feed(client.get("/authors/lin-yue/", HTTP_HOST="localhost").content.decode())
    (canonical,) = [link["href"] for link in parser.links if link.get("rel") == "canonical"]
    assert canonical == f"{SITE_URL}/authors/lin-yue/"
    assert parser.meta["description"] == parser.meta["og:description"] == "Lin covers the plants."
    assert parser.meta["og:url"] == canonical
    assert parser.meta["og:title"] == "Lin Yue · Harbor Automation"
    assert parser.meta["og:type"] == "profile"
    assert parser.meta["og:image"].startswith(SITE_URL + "/media/")
    assert int(parser.meta["og:image:width"]) > 0
    page_two = HeadParser()
    page_two.feed(client.get("/authors/lin-yue/?page=2").content.decode())
    assert {"rel": "canonical", "href": f"{SITE_URL}/authors/lin-yue/"} in page_two.links


def test_without_a_bio_the_description_names_them(client, settings, make_author):
    settings.SITE_NAME = "Harbor Automation"
    make_author(name="Ada Brandt", slug="ada-brandt", role="Industry correspondent")
    html = client.get("/authors/ada-brandt/").content.decode()
    assert (
        '<meta name="description" content="Articles by Ada Brandt, Industry correspondent, '
        'Harbor Automation.">'
    ) in html
    assert 'property="og:image"' not in html  # no photo, no card


class TestTheCachedPageFollowsChanges:
    def test_a_profile_edit(self, client, lin):
        assert "Reporter" in client.get("/authors/lin-yue/").content.decode()
        lin.role = "Chief photographer"
        lin.save()
        assert "Chief photographer" in client.get("/authors/lin-yue/").content.decode()

    def test_a_new_article(self, client, lin, make_article):
        client.get("/authors/lin-yue/")
        make_article(title="Fresh", author=lin.user)
        assert titles(client.get("/authors/lin-yue/")) == ["Fresh"]

    def test_a_changed_slug(self, client, lin):
        assert client.get("/authors/lin-yue/").status_code == 200
        lin.slug = "yue-lin"
        lin.save()
        assert client.get("/authors/lin-yue/").status_code == 404
        assert client.get("/authors/yue-lin/").status_code == 200

    def test_a_deleted_profile(self, client, lin):
        client.get("/authors/lin-yue/")
        lin.delete()
        assert client.get("/authors/lin-yue/").status_code == 404


def test_the_author_sitemap_lists_every_authors_page(client, lin, make_author):
    make_author(name="Ada Brandt", slug="ada-brandt")
    xml = client.get("/sitemap-authors.xml").content.decode()
    locs = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert locs == [
        "http://testserver/authors/ada-brandt/",
        "http://testserver/zh-hans/authors/ada-brandt/",
        "http://testserver/authors/lin-yue/",
        "http://testserver/zh-hans/authors/lin-yue/",
    ]
    for loc in locs:
        assert client.get(loc.removeprefix("http://testserver")).status_code == 200


def test_the_page_describes_the_person_in_json_ld(client, settings, lin):
    settings.SITE_URL = SITE_URL
    lin.bio = "Lin covers </script><script>alert(1)</script> the plants."
    lin.save()
    response = client.get("/authors/lin-yue/")
    parser = HeadParser()
    parser.feed(response.content.decode())
    (data,) = [json.loads(text) for text in parser.ld]
    assert parser.ld_attrs == [{"type": "application/ld+json"}]  # a data block: no nonce
    assert data["@type"] == "ProfilePage"
    person = data["mainEntity"]
    assert person["@type"] == "Person"
    assert person["name"] == "Lin Yue" and person["jobTitle"] == "Reporter"
    assert person["url"] == f"{SITE_URL}/authors/lin-yue/"
    assert person["description"].startswith("Lin covers </script>")
    assert person["image"].startswith(f"{SITE_URL}/media/")
    assert "</script><script>" not in response.content.decode()


def test_the_page_in_chinese(client, lin, make_article):
    make_article(author=lin.user)
    html = client.get("/zh-hans/authors/lin-yue/").content.decode()
    assert "Lin Yue的文章" in html and "RSS 订阅" in html
    article = make_article(title="论坛开幕", language="zh-hans", author=lin.user)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '作者： <a href="/zh-hans/authors/lin-yue/" rel="author">Lin Yue</a>' in html
