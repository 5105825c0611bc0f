"""The code files over HTTP: strong ETags and 304s, strict parameters, drafts for editors only."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from qr import codes
from tests.qr.helpers import SVG_NS, decode, png_url, svg_url

pytestmark = pytest.mark.django_db


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
