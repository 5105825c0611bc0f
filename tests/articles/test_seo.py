"""Article metadata: canonical, description, OpenGraph/Twitter, JSON-LD NewsArticle."""

import json
import re
from html.parser import HTMLParser

import pytest

from articles import seo
from core.site_url import absolute_url
from media.renditions import SOCIAL_KEY

pytestmark = pytest.mark.django_db


class HeadParser(HTMLParser):
    """Collects <meta>, <link> and the text of <script type="application/ld+json">."""

    def __init__(self):
        super().__init__()
        self.meta, self.links, self.ld, self.ld_attrs = {}, [], [], []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta[key] = attrs.get("content")
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True
            self.ld_attrs.append(attrs)
            self.ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.ld[-1] += data


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = "https://news.example.org"
    return settings.SITE_URL


def parse_page(client, article, **extra):
    response = client.get(article.get_absolute_url(), **extra)
    assert response.status_code == 200
    parser = HeadParser()
    parser.feed(response.content.decode())
    return response, parser


def test_canonical_description_and_social_tags(client, site_url, make_article, make_image):
    cover = make_image("cover.jpg", size=(1600, 900), alt_text="Riverside station at dawn")
    article = make_article(title="Riverside line opens", summary="Trains run.", cover=cover)
    _response, page = parse_page(client, article, HTTP_HOST="localhost")
    url = site_url + article.get_absolute_url()
    canonical = [link["href"] for link in page.links if link.get("rel") == "canonical"]
    assert canonical == [url]
    assert page.meta["description"] == "Trains run."
    assert page.meta["og:type"] == "article"
    assert page.meta["og:title"] == "Riverside line opens"
    assert page.meta["og:url"] == url
    assert page.meta["og:description"] == "Trains run."
    assert page.meta["og:image"].startswith(site_url + "/")
    assert page.meta["og:image:alt"] == "Riverside station at dawn"
    assert page.meta["twitter:card"] == "summary_large_image"
    assert page.meta["twitter:image"] == page.meta["og:image"]
    assert page.meta["twitter:title"] == "Riverside line opens"
    assert page.meta["article:section"] == "Company news"
    assert page.meta["article:published_time"] == article.published_at.isoformat()


def test_social_card_is_1200x630(client, site_url, make_article, make_image):
    article = make_article(cover=make_image(size=(2000, 1500)))
    _response, page = parse_page(client, article)
    assert page.meta["og:image:width"] == "1200"
    assert page.meta["og:image:height"] == "630"
    assert page.meta["og:image"].startswith(site_url)


def test_a_narrow_picture_announces_its_smaller_card(client, make_article, make_image):
    """Cards are never upscaled: the page gives the size the card really has."""
    article = make_article(cover=make_image(size=(1000, 700)))
    _response, page = parse_page(client, article)
    card = article.cover.renditions[SOCIAL_KEY]
    assert (card["width"], card["height"]) == (1000, 525)
    assert (page.meta["og:image:width"], page.meta["og:image:height"]) == ("1000", "525")


def test_json_ld_news_article_has_every_field(
    client, site_url, make_article, make_image, django_user_model
):
    author = django_user_model.objects.create_user("ann", first_name="Ann", last_name="Lee")
    cover = make_image("cover.jpg")
    article = make_article(title="Budget approved", author=author, cover=cover)
    _response, page = parse_page(client, article)
    (ld,) = [json.loads(text) for text in page.ld]
    url = site_url + article.get_absolute_url()
    assert ld["@context"] == "https://schema.org"
    assert ld["@type"] == "NewsArticle"
    assert ld["headline"] == "Budget approved"
    assert ld["datePublished"] == article.published_at.isoformat()
    assert ld["dateModified"] >= ld["datePublished"]
    assert ld["author"] == {"@type": "Person", "name": "Ann Lee"}
    assert ld["image"][0]["url"].startswith(site_url + "/")
    assert ld["publisher"]["name"]
    assert ld["publisher"]["logo"]["url"] == site_url + "/static/img/publisher-logo.png"
    assert ld["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert ld["articleSection"] == "Company news"
    assert ld["inLanguage"] == "en"
    assert client.get("/static/img/publisher-logo.png").status_code == 200


def test_json_ld_author_falls_back_to_byline_then_publisher(client, make_article):
    _r, page = parse_page(client, make_article(byline="By Wen Tao"))
    assert json.loads(page.ld[0])["author"] == {"@type": "Person", "name": "Wen Tao"}
    _r, page = parse_page(client, make_article())
    assert json.loads(page.ld[0])["author"]["@type"] == "Organization"


def test_a_title_cannot_break_out_of_the_script(client, make_article):
    title = "</script><script>alert(1)</script> & <!-- x"
    article = make_article(title=title, summary='"quoted" </script>')
    response, page = parse_page(client, article)
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    (ld,) = [json.loads(text) for text in page.ld]  # still one whole, valid JSON block
    assert ld["headline"] == title
    assert ld["description"] == '"quoted" </script>'
    assert page.meta["og:title"] == title


def test_json_ld_is_a_data_block_without_a_nonce(client, article):
    """The CSP does not govern a data block, and a nonce would make the page differ per
    request: no shared cache could keep it (beacon mode, README "Production")."""
    response, page = parse_page(client, article)
    assert page.ld_attrs[0] == {"type": "application/ld+json"}
    assert "nonce-" not in response["Content-Security-Policy"]


def test_description_falls_back_to_body_text(client, make_article):
    article = make_article(summary="", body="<p>Body <b>text</b> here.</p>" * 50)
    _r, page = parse_page(client, article)
    assert page.meta["description"].startswith("Body text here.")
    assert len(page.meta["description"]) <= seo.DESCRIPTION_CHARS
    assert "<" not in page.meta["description"]


def test_no_cover_means_summary_card(client, article):
    _r, page = parse_page(client, article)
    assert page.meta["twitter:card"] == "summary"
    assert "og:image" not in page.meta
    assert "image" not in json.loads(page.ld[0])


def test_absolute_urls():
    from django.conf import settings

    assert absolute_url("/media/a.jpg") == settings.SITE_URL + "/media/a.jpg"
    assert absolute_url("https://cdn.example/a.jpg") == "https://cdn.example/a.jpg"
    assert absolute_url("") == ""


def test_article_page_query_count(client, make_article, make_image, django_assert_max_num_queries):
    cover = make_image()
    article = make_article(cover=cover, tags=["a", "b"])
    for _ in range(5):
        make_article(cover=cover, tags=["a"])
    client.get(article.get_absolute_url())
    # The article, its translations, its related articles (+ slack for other features).
    with django_assert_max_num_queries(6):
        response = client.get(article.get_absolute_url())
    html = response.content.decode()
    related = html.split('class="related__list"', 1)[1].split("</ul>", 1)[0]
    assert len(re.findall(r"<li>", related)) == 4
