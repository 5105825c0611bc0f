"""QR codes: decoded by a real decoder, followed through the short link, cached, strict input."""

import io
import xml.etree.ElementTree as ET
from datetime import timedelta
from unittest import mock

import pytest
import qrcode
import zxingcpp
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import Article
from qr import codes
from qr.admin import ArticleQRAdminMixin
from readership.models import DailyStat

pytestmark = pytest.mark.django_db

SVG_NS = "{http://www.w3.org/2000/svg}"
BROWSER_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"
)


@pytest.fixture
def reader():
    """A phone's browser: the counters do not count clients without a browser User-Agent."""
    return Client(HTTP_USER_AGENT=BROWSER_UA)


def decode(image_bytes):
    """Texts of the QR codes zxing-cpp finds in an image."""
    image = Image.open(io.BytesIO(image_bytes))
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def png_url(article):
    return reverse("qr:png", args=[article.section.slug, article.slug])


def svg_url(article):
    return reverse("qr:svg", args=[article.section.slug, article.slug])


# --- The code holds the short link, and the short link leads to the article --------------


def test_png_decodes_to_short_link_and_following_it_counts_one_scan_and_one_view(reader, article):
    response = reader.get(png_url(article))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (512, 512)
    short_url = article.get_short_url()
    assert short_url == f"http://testserver/s/{article.short_code}/"
    assert decode(response.content) == [short_url]

    redirect = reader.get(short_url)
    assert redirect.status_code == 302
    assert redirect["Location"] == article.get_full_url()
    assert "no-store" in redirect["Cache-Control"]  # every scan reaches us and is counted
    page = reader.get(redirect["Location"])
    assert page.status_code == 200
    assert article.title.encode() in page.content

    article.refresh_from_db()
    assert (article.qr_scans, article.views) == (1, 1)
    row = DailyStat.objects.get(article=article, day=timezone.localdate())
    assert (row.qr_scans, row.views) == (1, 1)


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


def test_svg_file_is_well_formed_accessible_and_opaque(client, article):
    response = client.get(svg_url(article))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == f'inline; filename="{article.slug}-qr.svg"'
    root = ET.fromstring(response.content)  # noqa: S314 (our own output)
    code = codes.encode(article.get_short_url())
    size = code.modules + 2 * codes.QUIET_ZONE
    assert root.get("viewBox") == f"0 0 {size} {size}"
    assert root.get("role") == "img"
    assert root.get("aria-label") == article.get_short_url()
    assert root.find(f"{SVG_NS}title").text == article.get_short_url()
    background = root.find(f"{SVG_NS}rect")
    assert (background.get("width"), background.get("fill")) == (str(size), "#fff")
    assert b"<script" not in response.content


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


# --- HTTP behaviour ----------------------------------------------------------------------


def test_headers_etag_and_304(client, article, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get(png_url(article))
    assert response["Content-Disposition"] == f'inline; filename="{article.slug}-qr.png"'
    assert response["Cache-Control"] == "public, max-age=86400"
    etag = response["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
    assert "Cookie" not in response.get("Vary", "")  # shared caches may keep it

    again = client.get(png_url(article), headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    other = client.get(png_url(article), {"size": 1024}, headers={"if-none-match": etag})
    assert other.status_code == 200 and other["ETag"] != etag

    download = client.get(png_url(article), {"download": "1"})
    assert download["Content-Disposition"] == f'attachment; filename="{article.slug}-qr.png"'
    assert download["ETag"] == etag

    svg = client.get(svg_url(article), {"download": "1"})
    assert svg["Content-Disposition"] == f'attachment; filename="{article.slug}-qr.svg"'
    assert svg["Cache-Control"] == "public, max-age=86400"
    assert client.get(svg_url(article), headers={"if-none-match": svg["ETag"]}).status_code == 304


def test_head_is_answered(client, article):
    response = client.head(png_url(article))
    assert response.status_code == 200
    assert client.post(png_url(article)).status_code == 405


@pytest.mark.parametrize(
    "query",
    [
        "size=abc",
        "size=0",
        "size=-5",
        "size=99999",
        "size=1e3",
        "size=%00",
        "size=",
        "size=127",
        "size=2049",
        "size=0512",
        "size=%2B512",
        "size=512.0",
        "size=%20512",
        "size=512&size=1024",
        "download=yes",
        "download=",
        "foo=1",
        "%00=1",
        "size=512&utm_source=x",
    ],
)
def test_bad_png_parameters_are_400(client, article, query):
    response = client.get(f"{png_url(article)}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert 0 < len(response.content) < 200


@pytest.mark.parametrize("query", ["size=512", "download=2", "x=%00"])
def test_bad_svg_parameters_are_400(client, article, query):
    assert client.get(f"{svg_url(article)}?{query}").status_code == 400


def test_only_live_articles_unless_staff(client, editor, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    scheduled = make_article(published_at=timezone.now() + timedelta(days=1))
    for article in (draft, scheduled):
        assert client.get(png_url(article)).status_code == 404
        assert client.get(svg_url(article)).status_code == 404
        assert client.get(article.get_short_url()).status_code == 404
    assert client.get("/news/company-news/no-such-article/qr.png").status_code == 404
    assert client.get("/news/no-section/no-such-article/qr.svg").status_code == 404

    client.force_login(editor)
    response = client.get(png_url(draft), {"size": 2048, "download": "1"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"
    assert decode(response.content) == [draft.get_short_url()]
    assert client.get(svg_url(draft)).status_code == 200
    # An editor following a draft's code lands on the preview; no scan is counted.
    redirect = client.get(draft.get_short_url())
    assert redirect.status_code == 302
    assert client.get(redirect["Location"]).status_code == 200
    draft.refresh_from_db()
    assert (draft.qr_scans, draft.views) == (0, 0)


def test_a_warm_code_costs_no_query_and_an_unpublish_stops_it_at_once(
    client, editor, article, django_assert_num_queries
):
    assert client.get(png_url(article)).status_code == 200  # looks the article up, once
    with django_assert_num_queries(0):
        assert client.get(png_url(article), {"size": 1024}).status_code == 200
        svg = client.get(svg_url(article))
    assert svg.status_code == 200 and svg["Cache-Control"] == "public, max-age=86400"
    article.status = Article.Status.DRAFT
    article.save()  # the signal changes the generation: the cached target is gone
    assert client.get(png_url(article)).status_code == 404
    client.force_login(editor)  # an editor still gets the draft's code, privately, uncached
    assert client.get(png_url(article))["Cache-Control"] == "private, no-cache"
    client.logout()
    assert client.get(png_url(article)).status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/s/zzzzzz/", "/s/0o1li0/", "/s/abc!de/", "/s/%00/", "/s/" + "a" * 300 + "/", "/s/%E2%9C%93/"],
)
def test_unknown_or_malformed_short_codes_are_404_pages(client, article, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"Page not found" in response.content
    article.refresh_from_db()
    assert article.qr_scans == 0


def test_short_codes_are_case_insensitive(reader, article):
    response = reader.get(f"/s/{article.short_code.upper()}/")
    assert response.status_code == 302
    assert response["Location"] == article.get_full_url()
    article.refresh_from_db()
    assert article.qr_scans == 1


@pytest.mark.parametrize(
    "how",
    [
        {"method": "head"},
        {"HTTP_USER_AGENT": ""},
        {"HTTP_USER_AGENT": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"},
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_REFERER": "http://testserver/news/company-news/riverside-line-opens/"},
        {"HTTP_SEC_PURPOSE": "prefetch"},
    ],
    ids=["head", "no-agent", "link-preview-bot", "click-on-our-page", "our-referer", "prefetch"],
)
def test_what_is_not_a_scan(article, how):
    headers = {"HTTP_USER_AGENT": BROWSER_UA, **how}
    method = headers.pop("method", "get")
    response = getattr(Client(), method)(article.get_short_url(), **headers)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.qr_scans == 0
    # ...while the same browser arriving from elsewhere (a camera app) is one.
    Client().get(article.get_short_url(), HTTP_USER_AGENT=BROWSER_UA, HTTP_SEC_FETCH_SITE="none")
    article.refresh_from_db()
    assert article.qr_scans == 1


def test_short_link_survives_slug_and_section_change(client, article, news_center):
    old = article.get_short_url()
    article.slug = "riverside-line-finally-opens"
    article.section = news_center
    article.save()
    response = client.get(old)
    assert (
        response["Location"] == "http://testserver/news/news-center/riverside-line-finally-opens/"
    )


# --- Admin panel ---------------------------------------------------------------------------


def test_admin_panel_previews_code_and_links_downloads(client, editor, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    html = str(ArticleQRAdminMixin().qr_panel(draft))
    assert 'role="img"' in html and draft.get_short_url() in html
    assert "Readers can follow it once the article is published." in html
    assert "Download PNG for print (2048 px)" in html and "Download SVG" in html
    png_link = f"{png_url(draft)}?size=2048&amp;download=1"
    svg_link = f"{svg_url(draft)}?download=1"
    assert png_link in html and svg_link in html
    assert "appears here once" in ArticleQRAdminMixin().qr_panel(Article())

    client.force_login(editor)
    png = client.get(png_link.replace("&amp;", "&"))
    assert png["Content-Disposition"] == f'attachment; filename="{draft.slug}-qr.png"'
    assert Image.open(io.BytesIO(png.content)).size == (2048, 2048)
    assert decode(png.content) == [draft.get_short_url()]
    assert client.get(svg_link)["Content-Disposition"].startswith("attachment;")


def test_admin_change_page_shows_the_panel(admin_client, article):
    from django.contrib import admin

    model_admin = admin.site._registry[Article]
    if not isinstance(model_admin, ArticleQRAdminMixin):
        pytest.skip("ArticleAdmin does not include ArticleQRAdminMixin yet")
    response = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    assert b"Download PNG for print (2048 px)" in response.content
    assert article.get_short_url().encode() in response.content


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
