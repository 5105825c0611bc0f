"""RSS and Atom feeds: parsed with feedparser, absolute links from SITE_URL, no N+1."""

import html
import re
from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from articles.models import Article, Section

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = "https://news.example.org"
    return settings.SITE_URL


def parse(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:300]
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return response, feed


def test_rss_lists_live_articles_with_everything_a_reader_needs(
    client, site_url, make_article, make_image, django_user_model
):
    cover = make_image("cover.jpg", alt_text="A train at the river")
    author = django_user_model.objects.create_user("ming", first_name="Ming", last_name="Li")
    live = make_article(
        title="Riverside line opens",
        summary="Trains run from today.",
        cover=cover,
        author=author,
        tags=["transport", "city"],
    )
    make_article(title="Draft story", status=Article.Status.DRAFT)
    make_article(title="Scheduled story", published_at=timezone.now() + timedelta(days=1))

    response, feed = parse(client, "/feed/")
    assert response["Content-Type"].startswith("application/rss+xml")
    assert feed.version == "rss20"
    assert feed.feed.link == site_url + "/"
    assert [e.title for e in feed.entries] == ["Riverside line opens"]
    entry = feed.entries[0]
    assert entry.link == site_url + live.get_absolute_url()
    assert entry.id == entry.link
    assert entry.summary == "Trains run from today."
    assert entry.author == "Ming Li"
    assert {t.term for t in entry.tags} == {"Company news", "transport", "city"}
    (enclosure,) = entry.enclosures
    assert enclosure.href.startswith(site_url + "/media/images/")
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) == cover.file.size > 0
    assert entry.published_parsed is not None


def test_links_never_come_from_the_host_header(client, site_url, article):
    _response, feed = parse(client, "/feed/", HTTP_HOST="localhost")
    assert feed.entries[0].link.startswith(site_url)
    assert "localhost" not in _response.content.decode()


def test_atom_feed(client, site_url, article):
    response, feed = parse(client, "/feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.version == "atom10"
    assert feed.entries[0].link == site_url + article.get_absolute_url()
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [site_url + "/feed/atom/"]
    assert feed.entries[0].summary == article.summary


def test_byline_is_the_author_when_set(client, make_article):
    make_article(byline="By the newsroom desk")
    _response, feed = parse(client, "/feed/")
    assert feed.entries[0].author == "the newsroom desk"  # "By" is how a page prints it


def test_section_feed_has_the_section_and_its_subsections_only(
    client, site_url, news_center, section, make_article
):
    other = Section.objects.create(name="Sport", slug="sport")
    make_article(title="In company news", section=section)
    make_article(title="In news center", section=news_center)
    make_article(title="In sport", section=other)

    _response, feed = parse(client, "/news/news-center/feed/")
    assert {e.title for e in feed.entries} == {"In company news", "In news center"}
    assert feed.feed.title.startswith("News center")
    assert feed.feed.link == site_url + "/news/news-center/"

    _response, feed = parse(client, "/news/sport/feed/")
    assert [e.title for e in feed.entries] == ["In sport"]


def test_unknown_section_feed_is_404(client, section):
    assert client.get("/news/nope/feed/").status_code == 404


def test_feed_titles_are_inert_as_text_and_as_html(client, make_article):
    make_article(title="R&D <script>alert(1)</script>", summary="a < b & c", slug="rd")
    make_article(title="Mergers & acquisitions", slug="ma")
    response, feed = parse(client, "/feed/")
    titles = {e.link.rsplit("/", 2)[-2]: e.title for e in feed.entries}
    # A reader that takes <title> as text sees "&" as typed ...
    assert titles["ma"] == "Mergers & acquisitions"
    # ... and one that takes it as HTML (XML-decoded once) can never meet a tag in it.
    assert b"<script" not in response.content
    raw_titles = re.findall(rb"<title>(.*?)</title>", response.content)
    assert len(raw_titles) == 3  # the channel's and the two items'
    for raw in raw_titles:
        assert "<" not in html.unescape(raw.decode()), raw
    atom = client.get("/feed/atom/").content
    assert b"<script" not in atom and b"R&amp;D &amp;lt;script&gt;" in atom


def test_feed_query_count_does_not_grow(
    client, make_article, make_image, django_assert_max_num_queries
):
    cover = make_image()
    for n in range(12):
        make_article(cover=cover, tags=[f"tag{n}", "shared"])
    client.get("/news/company-news/feed/")  # warm the cached section tree
    with django_assert_max_num_queries(2):
        _response, feed = parse(client, "/feed/")
    assert len(feed.entries) == 12
    with django_assert_max_num_queries(2):
        parse(client, "/news/company-news/feed/")
    # Built once per change: polling the feed again costs no query.
    with django_assert_max_num_queries(0):
        parse(client, "/feed/")


def test_a_cached_feed_shows_a_publish_and_an_unpublish_at_once(client, make_article):
    first = make_article(title="First story")
    _response, feed = parse(client, "/feed/")
    assert [e.title for e in feed.entries] == ["First story"]
    second = make_article(title="Second story")
    _response, feed = parse(client, "/feed/")
    assert {e.title for e in feed.entries} == {"First story", "Second story"}
    first.status = Article.Status.DRAFT
    first.save()
    _response, feed = parse(client, "/news/company-news/feed/")
    assert [e.title for e in feed.entries] == ["Second story"]
    _response, feed = parse(client, "/feed/")
    assert [e.title for e in feed.entries] == ["Second story"]
    assert second.get_full_url() in feed.entries[0].link


def test_the_cached_feed_is_in_the_readers_language(client, article):
    _response, english = parse(client, "/feed/")
    _response, chinese = parse(client, "/zh-hans/feed/")
    assert english.feed.subtitle != chinese.feed.subtitle
    assert (english.feed.language, chinese.feed.language) == ("en", "zh-hans")
    # Accept-Language does not change the English feed: its address names its language.
    _response, again = parse(client, "/feed/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert again.feed.subtitle == english.feed.subtitle


def test_feed_is_linked_from_every_page(client, article):
    html = client.get("/").content.decode()
    assert 'type="application/rss+xml"' in html
    assert 'href="/feed/atom/"' in html
