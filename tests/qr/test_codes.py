"""The codes themselves: decoded by a real decoder, small, crisp, drawn once, logo optional."""

import io
import xml.etree.ElementTree as ET
from unittest import mock

import pytest
import qrcode
from django.core.exceptions import ImproperlyConfigured
from PIL import Image

from qr import codes
from tests.qr.helpers import decode, png_url, svg_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("size", [128, 300, 777, 2048])
def test_png_is_exactly_the_size_asked_and_decodes(client, article, size):
    response = client.get(png_url(article), {"size": size})
    assert response.status_code == 200
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (size, size)
    assert decode(response.content) == [article.get_short_url()]


def test_png_modules_are_whole_pixels_on_white(article):
    code = codes.encode(article.get_short_url())
    image = Image.open(io.BytesIO(codes.png_file(article.get_short_url(), 512).content))
    scale = 512 // code.total
    pixels = image.convert("L").load()
    assert {pixels[x, y] for x in range(512) for y in range(512)} == {0, 255}
    # Corners (inside the quiet zone) are white; the finder pattern's corner module is black.
    offset = (512 - code.total * scale) // 2
    quiet = offset + codes.QUIET_ZONE * scale
    assert pixels[0, 0] == pixels[quiet - 1, quiet - 1] == 255
    assert pixels[quiet, quiet] == pixels[quiet + scale - 1, quiet + scale - 1] == 0


def test_article_page_has_inline_code_naming_the_link(client, article):
    short_url = article.get_short_url()
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    start = html.index("<svg", html.index('class="qr-block__code"'))
    svg = html[start : html.index("</svg>", start) + 6]
    root = ET.fromstring(svg)  # noqa: S314 (our own output)
    assert root.get("role") == "img"
    assert root.get("aria-label") == f"QR code linking to {short_url}"
    assert len(svg.encode()) < 4096
    assert f'<a class="qr-block__url" href="{short_url}" rel="nofollow">{short_url}</a>' in html
    # The fold-away script is a static file (CSP: script-src 'self').
    assert 'src="/static/js/qr.js" defer' in html
    # The page draws the code from the matrix the endpoints use.
    code = codes.encode(short_url)
    assert svg.count("h") >= code.modules  # one run at least per row


# --- Size of the code --------------------------------------------------------------------


@pytest.mark.parametrize("site_url", ["http://testserver", "https://news.example.com"])
def test_long_slug_still_makes_a_small_code(settings, make_article, site_url):
    settings.SITE_URL = site_url
    slug = ("riverside-line-opens-after-years-of-delays-" * 3)[:120].strip("-")
    slug = slug + "x" * (120 - len(slug))
    article = make_article(slug=slug, title=slug.replace("-", " "))
    assert len(article.slug) == 120
    code = codes.encode(article.get_short_url())
    assert code.level == "M"
    assert code.version <= 3
    assert len(codes.svg(article.get_short_url()).encode()) < 4096
    # The long canonical URL would need a much bigger code: the short link is what keeps it small.
    assert codes.encode(article.get_full_url()).version >= 7


def test_error_level_setting(settings, article):
    text = article.get_short_url()
    settings.NEWSROOM_QR_ERROR = "h"
    high = codes.encode(text)
    settings.NEWSROOM_QR_ERROR = "M"
    assert high.level == "H" and high.version > codes.encode(text).version
    settings.NEWSROOM_QR_ERROR = "X"
    with pytest.raises(ImproperlyConfigured):
        codes.error_level()


# --- Caching -------------------------------------------------------------------------------


def test_after_the_first_request_nothing_encodes_or_draws_again(client, article):
    real = qrcode.QRCode
    with mock.patch("qr.codes.qrcode.QRCode", side_effect=real) as encoder:
        assert client.get(article.get_absolute_url()).status_code == 200
        assert client.get(png_url(article)).status_code == 200
        assert client.get(png_url(article), {"size": 1024}).status_code == 200
        assert client.get(svg_url(article)).status_code == 200
    assert encoder.call_count == 1  # one encode, shared by the page, the PNGs and the SVG

    with (
        mock.patch("qr.codes.qrcode.QRCode", side_effect=AssertionError("encoded again")),
        mock.patch("qr.codes.draw_png", side_effect=AssertionError("drew again")),
    ):
        assert client.get(article.get_absolute_url()).status_code == 200
        assert client.get(png_url(article)).status_code == 200
        assert client.get(png_url(article), {"size": 1024}).status_code == 200
        assert client.get(svg_url(article)).status_code == 200


def test_a_new_link_is_a_new_code(settings, article):
    first = codes.png_file(article.get_short_url())
    settings.SITE_URL = "https://news.example.com"
    second = codes.png_file(article.get_short_url())
    assert first.etag != second.etag
    assert decode(second.content) == [f"https://news.example.com/s/{article.short_code}/"]


# --- Optional logo ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", [128, 512, 2048])
def test_png_logo_uses_level_h_and_still_decodes(client, settings, tmp_path, article, size):
    logo = tmp_path / "logo.png"
    Image.new("RGBA", (300, 200), (200, 30, 40, 255)).save(logo)
    plain = client.get(png_url(article), {"size": size})
    settings.NEWSROOM_QR_LOGO = str(logo)
    response = client.get(png_url(article), {"size": size})
    assert response.status_code == 200
    assert response["ETag"] != plain["ETag"]
    image = Image.open(io.BytesIO(response.content)).convert("RGB")
    assert image.size == (size, size)
    assert image.getpixel((size // 2, size // 2)) == (200, 30, 40)  # the logo, in the centre
    assert decode(response.content) == [article.get_short_url()]
    assert codes.png_level() == "H"
    # The inline SVG keeps the site's level and no logo.
    assert codes.encode(article.get_short_url()).level == "M"


def test_missing_logo_file_is_a_configuration_error(settings, article, tmp_path):
    settings.NEWSROOM_QR_LOGO = str(tmp_path / "nope.png")
    with pytest.raises(ImproperlyConfigured):
        codes.png_file(article.get_short_url())
