"""Sitemap index, section/article/news sitemaps and robots.txt: absolute from SITE_URL."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.sitemaps import ArticleSitemap

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = "https://news.example.org"
    return settings.SITE_URL


def get_xml(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/xml")
    return response, ET.fromstring(response.content)  # noqa: S314 (our own output)


def locs(root):
    return [el.text for el in root.iterfind(".//sm:loc", NS)]


def test_index_lists_every_sitemap_absolute_from_site_url(client, site_url, article):
    response, root = get_xml(client, "/sitemap.xml", HTTP_HOST="localhost")
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    assert locs(root) == [
        f"{site_url}/sitemap-sections.xml",
        f"{site_url}/sitemap-articles.xml",
        f"{site_url}/sitemap-articles-zh-hans.xml",
        f"{site_url}/sitemap-news.xml",
        f"{site_url}/sitemap-news-zh-hans.xml",
        f"{site_url}/sitemap-tags.xml",
        f"{site_url}/sitemap-authors.xml",
    ]
    assert b"localhost" not in response.content
    assert root.find(".//sm:lastmod", NS) is not None
    assert "Last-Modified" in response


def test_article_sitemap_lists_live_articles_only_with_lastmod(client, site_url, make_article):
    live = make_article(title="Live")
    make_article(title="Draft", status=Article.Status.DRAFT)
    make_article(title="Later", published_at=timezone.now() + timedelta(hours=2))
    _response, root = get_xml(client, "/sitemap-articles.xml", HTTP_HOST="localhost")
    assert locs(root) == [site_url + live.get_absolute_url()]
    lastmod = root.find(".//sm:lastmod", NS).text
    assert lastmod.startswith(str(timezone.localdate(live.updated_at)))


def test_section_sitemap(client, site_url, news_center, section, article):
    _response, root = get_xml(client, "/sitemap-sections.xml")
    assert locs(root) == [
        f"{site_url}/news/news-center/",
        f"{site_url}/zh-hans/news/news-center/",
        f"{site_url}/news/company-news/",
        f"{site_url}/zh-hans/news/company-news/",
    ]
    # Company news has a live article, so it has a lastmod; the parent has none of its own.
    urls = root.findall("sm:url", NS)
    assert urls[0].find("sm:lastmod", NS) is None
    assert urls[3].find("sm:lastmod", NS) is not None
    # Each names its other-language page and the default one (x-default).
    links = urls[3].findall("{http://www.w3.org/1999/xhtml}link")
    assert {(link.get("hreflang"), link.get("href")) for link in links} == {
        ("en", f"{site_url}/news/company-news/"),
        ("zh-hans", f"{site_url}/zh-hans/news/company-news/"),
        ("x-default", f"{site_url}/news/company-news/"),
    }


def test_news_sitemap_has_the_last_two_days(client, site_url, make_article):
    fresh = make_article(title="Fresh & new", language="zh-hans")
    make_article(title="Old", published_at=timezone.now() - timedelta(days=3))
    english = make_article(title="Fresh in English")
    _response, root = get_xml(client, "/sitemap-news-zh-hans.xml")
    assert locs(root) == [site_url + fresh.get_absolute_url()]
    _response, default = get_xml(client, "/sitemap-news.xml")
    assert locs(default) == [site_url + english.get_absolute_url()]
    news = root.find(".//news:news", NS)
    assert news.find("news:title", NS).text == "Fresh & new"
    assert news.find("news:publication/news:language", NS).text == "zh-cn"
    assert news.find("news:publication/news:name", NS).text
    assert news.find("news:publication_date", NS).text.startswith(
        str(timezone.localdate(fresh.published_at))
    )


def test_articles_paginate_at_the_protocol_limit(client, site_url, make_article, monkeypatch):
    assert ArticleSitemap.limit == 50_000
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    for _ in range(5):
        make_article()
    _response, root = get_xml(client, "/sitemap.xml")
    assert f"{site_url}/sitemap-articles.xml?p=3" in locs(root)
    assert f"{site_url}/sitemap-articles.xml?p=4" not in locs(root)
    _response, page3 = get_xml(client, "/sitemap-articles.xml?p=3")
    assert len(locs(page3)) == 1


@pytest.mark.parametrize("page", ["0", "99", "x", "-1", "1e9", "9" * 40, "²", "١٠"])
def test_bad_pages_are_404(client, article, page):
    assert client.get(f"/sitemap-articles.xml?p={page}").status_code == 404


def test_unknown_sitemap_is_404(client):
    assert client.get("/sitemap-nope.xml").status_code == 404


def test_sitemap_query_counts_do_not_grow(client, make_article, django_assert_max_num_queries):
    for _ in range(20):
        make_article()
    # Two per sitemap (its newest change, its page count: five sitemaps, articles and news per
    # language), one each for tags and authors (their page count), and two for the cache's
    # timing (section tree, next due article).
    with django_assert_max_num_queries(14):
        client.get("/sitemap.xml")
    for name in ("sections", "articles", "news", "articles-zh-hans", "news-zh-hans"):
        with django_assert_max_num_queries(4):
            get_xml(client, f"/sitemap-{name}.xml")
    # Built once per change: robots polling them again cost no query.
    with django_assert_max_num_queries(0):
        for name in ("", "-sections", "-articles", "-news"):
            get_xml(client, f"/sitemap{name}.xml")


def test_cached_sitemaps_show_a_publish_and_an_unpublish_at_once(client, site_url, make_article):
    first = make_article()
    assert locs(get_xml(client, "/sitemap-articles.xml")[1]) == [first.get_full_url()]
    second = make_article()
    assert set(locs(get_xml(client, "/sitemap-articles.xml")[1])) == {
        first.get_full_url(),
        second.get_full_url(),
    }
    first.status = Article.Status.DRAFT
    first.save()
    assert locs(get_xml(client, "/sitemap-articles.xml")[1]) == [second.get_full_url()]


def test_robots_txt_names_the_sitemap(client, site_url):
    response = client.get("/robots.txt", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert f"Sitemap: {site_url}/sitemap.xml" in text
    assert "User-agent: *" in text
    assert "Disallow: /search/" in text
