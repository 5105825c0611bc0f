"""AVIF as readers get it: the article page offers it first, and the bytes served are AVIF."""

import io
import re

import pytest
from django.urls import get_resolver
from PIL import Image as PILImage

from media.renditions import avif_supported
from media.views import serve_media
from tests.support import agents
from tests.support.pictures import photo, submit

pytestmark = pytest.mark.skipif(not avif_supported(), reason="this Pillow cannot write AVIF")

AVIF_ACCEPT = "image/avif,image/webp,image/apng,image/*,*/*;q=0.8"


@pytest.fixture
def media_served(settings, monkeypatch):
    """/media/ served from this test's MEDIA_ROOT (the URLconf took the first test's folder)."""
    [pattern] = [
        p for p in get_resolver().url_patterns if getattr(p, "callback", None) is serve_media
    ]
    monkeypatch.setitem(pattern.default_args, "document_root", settings.MEDIA_ROOT)


def _article_with_cover(make_article):
    cover = submit("harbour.jpg", photo("JPEG", (2000, 1300)), caption="The harbour").save()
    return make_article(title="Harbour crane arrives", slug="harbour-crane", cover=cover)


@pytest.mark.django_db
def test_a_browser_accepting_avif_gets_avif_bytes(client, make_article, media_served):
    article = _article_with_cover(make_article)
    page = client.get(article.get_absolute_url(), HTTP_USER_AGENT=agents.CHROME)
    html = page.content.decode()
    cover = re.search(r'<figure class="article__cover">.*?</figure>', html, re.S).group(0)
    assert cover.index('type="image/avif"') < cover.index('type="image/webp"')
    srcset = re.search(r'<source type="image/avif" srcset="([^"]+)"', cover).group(1)
    url = srcset.split(", ")[-1].split(" ")[0]
    served = client.get(url, HTTP_ACCEPT=AVIF_ACCEPT)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/avif"
    with PILImage.open(io.BytesIO(b"".join(served.streaming_content))) as decoded:
        assert decoded.format == "AVIF" and decoded.width == 1600


@pytest.mark.browser
@pytest.mark.slow
def test_chromium_loads_the_avif(
    live_server, page, transactional_db, settings, make_article, media_served
):
    settings.SITE_URL = live_server.url
    article = _article_with_cover(make_article)
    page.goto(live_server.url + article.get_absolute_url())
    cover = page.locator(".article__cover img")
    cover.evaluate("img => img.decode()")
    current = cover.evaluate("img => img.currentSrc")
    assert current.endswith(".avif"), current
    response = page.request.get(current)
    assert response.headers["content-type"] == "image/avif"
    with PILImage.open(io.BytesIO(response.body())) as decoded:
        assert decoded.format == "AVIF"
