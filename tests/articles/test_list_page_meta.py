"""Home and section pages: meta description, canonical link and OpenGraph, from SITE_URL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from articles import seo
from articles.models import Section
from tests.articles.test_seo import HeadParser

pytestmark = pytest.mark.django_db
SITE_URL = "https://news.example.org"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE_URL
    settings.SITE_NAME = "Harbor Automation"
    settings.NEWSROOM_PAGE_SIZE = 2


def head(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200
    parser = HeadParser()
    parser.feed(response.content.decode())
    return response, parser


def canonical(page):
    (href,) = [link["href"] for link in page.links if link.get("rel") == "canonical"]
    return href


def assert_list_page_tags(client, url, expected_canonical, title):
    _response, page = head(client, url, HTTP_HOST="localhost")
    href = canonical(page)
    assert href == expected_canonical
    assert client.get(href.removeprefix(SITE_URL)).status_code == 200
    description = page.meta["description"]
    assert description and len(description) <= seo.PAGE_DESCRIPTION_CHARS
    assert page.meta["og:type"] == "website"
    assert page.meta["og:title"] == title
    assert page.meta["og:url"] == href
    assert page.meta["og:description"] == description
    assert page.meta["og:site_name"] == "Harbor Automation"
    return page


def test_home_page_names_the_site_and_its_desks(client, section, make_article):
    Section.objects.create(
        name="Industry news", slug="industry-news", parent=section.parent, position=2
    )
    make_article()
    page = assert_list_page_tags(client, "/", SITE_URL + "/", "Harbor Automation")
    assert page.meta["description"] == (
        "News from Harbor Automation: Company news and Industry news."
    )


def test_home_page_description_is_in_the_readers_language(client, section, make_article):
    make_article()
    _response, page = head(client, "/zh-hans/")
    assert page.meta["description"] == "Harbor Automation 的新闻：Company news。"
    assert page.meta["og:locale"] == "zh_CN"


def test_home_page_without_sections_still_has_a_description(client):
    page = assert_list_page_tags(client, "/", SITE_URL + "/", "Harbor Automation")
    assert page.meta["description"] == "News from Harbor Automation."


def test_section_pages_have_their_own_canonical_per_page(client, section, make_article):
    for _ in range(3):
        make_article()
    base = SITE_URL + section.get_absolute_url()
    title = "Company news · Harbor Automation"
    path = section.get_absolute_url()
    first = assert_list_page_tags(client, path, base, title)
    second = assert_list_page_tags(client, path + "?page=2", base + "?page=2", title)
    assert first.meta["description"] == "The latest news in Company news from Harbor Automation."
    assert second.meta["description"] == first.meta["description"]
    # Junk settles on page 1, whose canonical carries no query.
    _response, junk = head(client, section.get_absolute_url() + "?page=x&utm_source=y")
    assert canonical(junk) == base


def test_section_description_is_used_escaped_and_cut_to_a_snippet(client, section, make_article):
    section.description = '<script>alert("x")</script> Robots & "quotes" ' + "word " * 60
    section.save()
    make_article()
    response, page = head(client, section.get_absolute_url())
    description = page.meta["description"]
    assert description.startswith('<script>alert("x")</script> Robots & "quotes" word')
    assert len(description) <= seo.PAGE_DESCRIPTION_CHARS
    html = response.content.decode()
    assert '<script>alert("x")' not in html
    assert 'content="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Robots &amp;' in html
    assert page.meta["og:description"] == description


def test_cached_list_pages_carry_the_tags_with_no_more_queries(client, section, make_article):
    for _ in range(3):
        make_article()
    urls = ["/", section.get_absolute_url(), section.get_absolute_url() + "?page=2"]
    for url in urls:
        cold = client.get(url).content
        with CaptureQueriesContext(connection) as queries:
            warm = client.get(url, HTTP_HOST="localhost").content
        assert warm == cold
        assert b'rel="canonical"' in warm
        assert [q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]] == []


def test_section_description_translations_follow_the_language(section):
    with translation.override("zh-hans"):
        meta = seo.section_meta(section, section.get_absolute_url())
    assert meta["description"] == "Harbor Automation Company news 的最新新闻。"
    assert meta["canonical"] == SITE_URL + "/zh-hans/news/company-news/"
