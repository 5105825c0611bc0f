"""What an editor types is inert on the site and in feeds, however hostile."""

import html as htmllib
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from articles.feeds import feed_text
from articles.models import Article
from tests.articles.admin_forms import errors_of, new_article

pytestmark = pytest.mark.django_db


class LiveMarkup(HTMLParser):
    """What a browser would actually run: elements, event handlers, script bodies, URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.handlers, self.bad_urls, self.scripts = set(), [], [], []
        self._in_script = False

    @classmethod
    def scan(cls, html):
        parser = cls()
        parser.feed(html)
        return parser

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        types = dict(attrs).get("type") or "text/javascript"
        # JSON-LD is data: it must not break out of its element, which the parser checks.
        self._in_script = tag == "script" and "json" not in types
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name, value))
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                ("javascript:", "data:text")
            ):
                self.bad_urls.append((tag, value))

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


PAYLOADS = {
    "title": '<script>alert("t")</script>Title',
    "summary": '"><img src=x onerror=alert("s")>',
    "byline": "</li><script>alert('b')</script>",
    "tags": '<svg onload=alert("tag")>, safe',
    "body": (
        '<p onclick="alert(1)">Hi<script>alert("body")</script></p>'
        '<a href="javascript:alert(2)">link</a><img src="data:text/html,x" onerror="alert(3)">'
        '<iframe src="https://evil.example"></iframe><style>body{}</style>'
        '<figure><img src="/media/x.jpg" alt="a" onload="alert(4)">'
        "<figcaption>Cap<script>alert(5)</script></figcaption></figure>"
    ),
}


def test_xss_through_the_admin_is_inert_on_the_site(editor_client, client, section):
    response = new_article(editor_client, section, status="published", **PAYLOADS)
    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get(slug="harbour-bridge-reopens")
    editor_client.logout()
    pages = [client.get(article.get_absolute_url()), client.get(reverse("articles:home"))]
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        found = LiveMarkup.scan(html)
        assert found.tags.isdisjoint({"iframe", "object", "embed"}), found.tags
        assert not found.handlers, found.handlers
        assert not found.bad_urls, found.bad_urls
        assert not any("alert" in s for s in found.scripts), found.scripts
    html = pages[0].content.decode()
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;Title" in html
    assert "<figcaption>Cap</figcaption>" in article.body  # stored clean
    assert "onload" not in article.body and "<script" not in article.body


def test_xss_through_the_admin_is_inert_in_feeds(editor_client, client, section):
    response = new_article(editor_client, section, status="published", **PAYLOADS)
    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get(slug="harbour-bridge-reopens")
    editor_client.logout()
    # Feed readers render <description> as HTML: it must be inert once unescaped.
    feed = client.get(reverse("articles:feed"))
    assert feed.status_code == 200
    xml = feed.content.decode()
    assert feed_text(article.title) in htmllib.unescape(xml)
    for chunk in re.findall(r"<description>(.*?)</description>", xml, re.S):
        found = LiveMarkup.scan(htmllib.unescape(chunk))
        assert not found.handlers and not found.bad_urls and not found.scripts, chunk
        assert found.tags.isdisjoint({"iframe", "object", "embed", "script", "svg"})
