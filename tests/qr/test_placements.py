"""Placements: each printed code has its own short link, and its scans are counted apart."""

import pytest
from django.utils import timezone

from articles.models import SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH
from qr.models import Placement, PlacementDay
from readership.models import DailyStat
from tests.support.agents import PHONE

pytestmark = pytest.mark.django_db


@pytest.fixture
def placements(article, editor):
    canteen = Placement.objects.create(article=article, name="Canteen board", created_by=editor)
    brochure = Placement.objects.create(article=article, name="Expo brochure p.3")
    return canteen, brochure


def scans(placement):
    placement.refresh_from_db()
    daily = sum(PlacementDay.objects.filter(placement=placement).values_list("scans", flat=True))
    return placement.scans, daily


def test_a_placement_gets_its_own_short_code_like_an_articles(placements, article):
    codes = {p.short_code for p in placements} | {article.short_code}
    assert len(codes) == 3
    for placement in placements:
        assert len(placement.short_code) == SHORT_CODE_LENGTH
        assert set(placement.short_code) <= set(SHORT_CODE_ALPHABET)
        assert placement.get_short_url() == f"http://testserver/s/{placement.short_code}/"


def test_a_placements_scan_counts_for_it_and_its_article_and_for_no_other(
    reader, placements, article
):
    canteen, brochure = placements
    response = reader.get(canteen.get_short_url())
    assert response.status_code == 302
    assert response["Location"] == article.get_full_url()
    assert "no-store" in response["Cache-Control"]
    assert scans(canteen) == (1, 1)
    assert scans(brochure) == (0, 0)
    article.refresh_from_db()
    assert article.qr_scans == 1
    assert DailyStat.objects.get(article=article, day=timezone.localdate()).qr_scans == 1
    # The article's own code (the "Website" placement) counts for the article alone.
    reader.get(article.get_short_url())
    article.refresh_from_db()
    assert article.qr_scans == 2
    assert scans(canteen) == (1, 1)


def test_the_scan_then_counts_the_view_as_before(reader, placements, article):
    page = reader.get(reader.get(placements[0].get_short_url())["Location"])
    assert page.status_code == 200
    article.refresh_from_db()
    assert (article.views, article.qr_scans) == (1, 1)


def test_placement_links_survive_slug_and_section_changes(reader, placements, article, news_center):
    article.slug, article.section = "renamed", news_center
    article.save()
    response = reader.get(f"/s/{placements[1].short_code.upper()}/")
    assert response["Location"] == "http://testserver/news/news-center/renamed/"
    assert scans(placements[1]) == (1, 1)


def test_a_retired_placement_still_leads_to_the_article_and_counts(reader, placements, article):
    canteen = placements[0]
    canteen.retired_at = timezone.now()
    canteen.save()
    response = reader.get(canteen.get_short_url())
    assert response["Location"] == article.get_full_url()
    assert scans(canteen) == (1, 1)


@pytest.mark.parametrize(
    "how",
    [
        {"method": "head"},
        {"HTTP_USER_AGENT": ""},
        {"HTTP_USER_AGENT": "facebookexternalhit/1.1"},
        {"HTTP_USER_AGENT": "Mozilla/5.0 (compatible; Googlebot/2.1)"},
        {"HTTP_SEC_PURPOSE": "prefetch"},
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
    ],
    ids=["head", "no-agent", "link-preview", "crawler", "prefetch", "our-own-page"],
)
def test_bots_head_and_prefetch_count_no_placement_scan(client, placements, article, how):
    headers = {"HTTP_USER_AGENT": PHONE, **how}
    method = headers.pop("method", "get")
    response = getattr(client, method)(placements[0].get_short_url(), **headers)
    assert response.status_code == 302
    assert scans(placements[0]) == (0, 0)
    article.refresh_from_db()
    assert article.qr_scans == 0


def test_a_drafts_placement_is_a_404_for_readers_and_counts_nothing(reader, make_article):
    draft = make_article(status="draft")
    placement = Placement.objects.create(article=draft, name="Lobby")
    assert reader.get(placement.get_short_url()).status_code == 404
    assert scans(placement) == (0, 0)


def test_a_save_never_writes_back_scans_counted_meanwhile(reader, placements):
    stale = Placement.objects.get(pk=placements[0].pk)
    reader.get(placements[0].get_short_url())
    stale.note = "Moved to the second floor"
    stale.save()
    assert scans(placements[0]) == (1, 1)


def test_a_scan_of_a_placement_costs_few_queries(reader, placements, django_assert_max_num_queries):
    # Two lookups (the article's codes first), then the counts: two UPDATEs and two upserts.
    with django_assert_max_num_queries(10):
        assert reader.get(placements[0].get_short_url()).status_code == 302
