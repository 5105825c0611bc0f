"""The short link a code holds: it leads to the article and counts a scan, only a real one."""

import io

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from articles.models import Article
from qr.models import Placement
from readership.models import DailyStat
from tests.qr.helpers import decode, png_url
from tests.support.agents import PHONE

pytestmark = pytest.mark.django_db


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
    headers = {"HTTP_USER_AGENT": PHONE, **how}
    method = headers.pop("method", "get")
    response = getattr(Client(), method)(article.get_short_url(), **headers)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.qr_scans == 0
    # ...while the same browser arriving from elsewhere (a camera app) is one.
    Client().get(article.get_short_url(), HTTP_USER_AGENT=PHONE, HTTP_SEC_FETCH_SITE="none")
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


@pytest.mark.parametrize("holder", ["article", "placement"])
def test_a_new_article_never_takes_a_short_code_in_use(client, article, news_center, holder):
    """Six random characters collide now and then on a big site: the new article draws again."""
    taken = article.short_code
    if holder == "placement":
        taken = Placement.objects.create(article=article, name="Canteen board").short_code
    newer = Article.objects.create(
        title="Second story", slug="second-story", section=news_center, status="published",
        published_at=timezone.now(), body="<p>Two.</p>", short_code=taken,
    )  # fmt: skip
    assert newer.short_code != taken
    assert len(newer.short_code) == 6
    assert client.get(f"/s/{newer.short_code}/")["Location"].endswith("/second-story/")
    assert not client.get(f"/s/{taken}/")["Location"].endswith("/second-story/")
