"""Tag pages (/tags/<tag>/), their feeds, and the tags an article shows."""

import re
from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from tests.articles.test_list_page_meta import SITE_URL, assert_list_page_tags

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_pages(settings):
    settings.NEWSROOM_PAGE_SIZE = 2


def titles(response):
    html = response.content.decode()
    return re.findall(r'class="card__title"><a href="[^"]+"[^>]*>([^<]+)</a>', html)


def test_a_tag_page_lists_its_live_articles_newest_first(client, make_article):
    now = timezone.now()
    make_article(title="Old rail", tags=["rail"], published_at=now - timedelta(days=2))
    make_article(title="New rail", tags=["rail", "city"], published_at=now - timedelta(hours=1))
    make_article(title="Only city", tags=["city"])
    make_article(title="Draft rail", tags=["rail"], status=Article.Status.DRAFT)
    make_article(title="Later rail", tags=["rail"], published_at=now + timedelta(days=1))
    response = client.get("/tags/rail/")
    assert response.status_code == 200
    assert titles(response) == ["New rail", "Old rail"]
    html = response.content.decode()
    assert '<h1 class="page-title">rail</h1>' in html
    assert 'href="/tags/rail/feed/"' in html


def test_tag_pages_are_paged_like_sections(client, make_article):
    now = timezone.now()
    for n in range(5):
        make_article(title=f"Rail {n}", tags=["rail"], published_at=now - timedelta(hours=n + 1))
    assert titles(client.get("/tags/rail/")) == ["Rail 0", "Rail 1"]
    assert titles(client.get("/tags/rail/", {"page": 2})) == ["Rail 2", "Rail 3"]
    assert titles(client.get("/tags/rail/", {"page": 3})) == ["Rail 4"]
    html = client.get("/tags/rail/", {"page": 2}).content.decode()
    assert 'rel="next" href="?page=3"' in html and 'rel="prev" href="?page=1"' in html


@pytest.mark.parametrize(
    ("page", "shown"),
    [("abc", "Rail 0"), ("0", "Rail 4"), ("-1", "Rail 4"), ("999999", "Rail 4"), ("1.5", "Rail 0"),
     ("", "Rail 0"), ("1e9", "Rail 0"), ("%00", "Rail 0")],
)  # fmt: skip
def test_junk_page_numbers_give_the_first_or_last_page(client, make_article, page, shown):
    now = timezone.now()
    for n in range(5):
        make_article(title=f"Rail {n}", tags=["rail"], published_at=now - timedelta(hours=n + 1))
    response = client.get("/tags/rail/", {"page": page})
    assert response.status_code == 200
    assert titles(response)[0] == shown


@pytest.mark.parametrize("url", ["/tags/no-such-tag/", "/tags/no-such-tag/feed/"])
def test_an_unknown_tag_is_a_styled_404(client, make_article, url):
    make_article(tags=["rail"])
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and 'class="site-header"' in html


def test_a_tag_only_drafts_carry_is_not_shown(client, make_article):
    make_article(tags=["secret-plan"], status=Article.Status.DRAFT)
    assert Tag.objects.filter(slug="secret-plan").exists()
    assert client.get("/tags/secret-plan/").status_code == 404
    assert client.get("/tags/secret-plan/feed/").status_code == 404


def test_a_chinese_tag_has_a_page(client, make_article):
    article = make_article(title="论坛开幕", language="zh-hans", tags=["论坛"])
    (tag,) = article.tags.all()
    assert tag.slug == "论坛"
    response = client.get("/tags/%E8%AE%BA%E5%9D%9B/")
    assert response.status_code == 200
    assert "论坛开幕" in response.content.decode()


def test_the_article_shows_its_tags_linking_to_their_pages(client, make_article):
    article = make_article(tags=["Rail", "city life", "论坛"])
    html = client.get(article.get_absolute_url()).content.decode()
    links = re.findall(r'<a href="([^"]+)" rel="tag">([^<]+)</a>', html)
    assert [name for _href, name in links] == ["city life", "Rail", "论坛"]
    for href, _name in links:
        assert client.get(href).status_code == 200, href


def test_an_article_without_tags_shows_no_tag_list(client, make_article):
    html = client.get(make_article().get_absolute_url()).content.decode()
    assert 'class="tags"' not in html


def test_tag_names_are_escaped(client, make_article):
    make_article(tags=['<img src=x onerror=alert(1)>"rail'])
    slug = Tag.objects.get().slug
    html = client.get(f"/tags/{slug}/").content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;&quot;rail" in html


def test_the_tag_feed_lists_the_tags_live_articles(client, make_article):
    make_article(title="Rail news", tags=["rail"])
    make_article(title="City news", tags=["city"])
    make_article(title="Draft rail", tags=["rail"], status=Article.Status.DRAFT)
    response = client.get("/tags/rail/feed/")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert [entry.title for entry in feed.entries] == ["Rail news"]
    assert feed.feed.title.startswith("rail · ")
    assert feed.feed.link == "http://testserver/tags/rail/"


def test_tag_pages_have_description_canonical_and_opengraph(client, settings, make_article):
    settings.SITE_URL = SITE_URL
    settings.SITE_NAME = "Harbor Automation"
    now = timezone.now()
    for n in range(3):
        make_article(tags=["rail"], published_at=now - timedelta(hours=n + 1))
    page = assert_list_page_tags(
        client, "/tags/rail/", f"{SITE_URL}/tags/rail/", "rail · Harbor Automation"
    )
    assert page.meta["description"] == "Articles tagged “rail” from Harbor Automation."
    assert_list_page_tags(
        client, "/tags/rail/?page=2", f"{SITE_URL}/tags/rail/?page=2", "rail · Harbor Automation"
    )


class TestTheCachedPageFollowsChanges:
    """A tag page is cached whole; any change to what it shows reaches the next reader."""

    def test_a_newly_tagged_article(self, client, make_article):
        make_article(title="First", tags=["rail"])
        assert titles(client.get("/tags/rail/")) == ["First"]
        second = make_article(title="Second")
        second.tags.add("rail")
        assert titles(client.get("/tags/rail/")) == ["First", "Second"]

    def test_a_tag_taken_off(self, client, make_article):
        first = make_article(title="First", tags=["rail"])
        make_article(title="Second", tags=["rail"])
        client.get("/tags/rail/")
        first.tags.remove("rail")
        assert titles(client.get("/tags/rail/")) == ["Second"]

    def test_a_renamed_tag(self, client, make_article):
        make_article(tags=["rail"])
        client.get("/tags/rail/")
        tag = Tag.objects.get(slug="rail")
        tag.name = "Railways"
        tag.save()
        assert '<h1 class="page-title">Railways</h1>' in client.get("/tags/rail/").content.decode()

    def test_the_last_article_unpublished(self, client, make_article):
        article = make_article(tags=["rail"])
        assert client.get("/tags/rail/").status_code == 200
        article.status = Article.Status.DRAFT
        article.save()
        assert client.get("/tags/rail/").status_code == 404


def test_a_tag_page_exists_in_every_language_even_when_empty_in_one(client, make_article):
    """The English original of a translated story is not listed in Chinese: its tag's Chinese
    page is empty, not missing, so the hreflang alternates of the English page answer."""
    original = make_article(title="Forum opens", tags=["smart factory"])
    make_article(title="论坛开幕", language="zh-hans", translation_of=original, tags=["论坛"])
    english = client.get("/tags/smart-factory/")
    assert titles(english) == ["Forum opens"]
    chinese = client.get("/zh-hans/tags/smart-factory/")
    assert chinese.status_code == 200
    assert titles(chinese) == []
    html = english.content.decode()
    hrefs = re.findall(r'hreflang="[^"]+" href="http://testserver([^"]+)"', html)
    assert "/zh-hans/tags/smart-factory/" in hrefs
    for href in hrefs:
        assert client.get(href).status_code == 200, href


def test_the_tag_sitemap_lists_tags_of_live_articles_in_each_language(client, make_article):
    make_article(tags=["rail"])
    make_article(tags=["draft-only"], status=Article.Status.DRAFT)
    xml = client.get("/sitemap-tags.xml").content.decode()
    locs = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert locs == ["http://testserver/tags/rail/", "http://testserver/zh-hans/tags/rail/"]
    assert re.search(r'hreflang="zh-hans" href="http://testserver/zh-hans/tags/rail/"', xml, re.I)
    for loc in locs:
        assert client.get(loc.removeprefix("http://testserver")).status_code == 200


def test_a_tag_of_only_symbols_has_no_page_and_breaks_nothing(client, make_article):
    article = make_article(tags=["!!!", "rail"])
    assert Tag.objects.get(name="!!!").slug == ""
    html = client.get(article.get_absolute_url()).content.decode()
    assert re.findall(r'rel="tag">([^<]+)</a>', html) == ["rail"]
    assert client.get("/sitemap-tags.xml").status_code == 200
    assert client.get("/tags/!!!/").status_code == 404
