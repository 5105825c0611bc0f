"""`manage.py load_demo`: the demo newsroom, loaded twice without duplicates."""

import pytest
from django.core.management import call_command

from articles.models import Article, Section
from media.models import Image
from readership.models import DailyStat

pytestmark = pytest.mark.django_db


def load():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_load_demo_is_idempotent():
    load()
    counts = (Section.objects.count(), Article.objects.count(), Image.objects.count())
    stats = DailyStat.objects.count()
    load()
    assert (Section.objects.count(), Article.objects.count(), Image.objects.count()) == counts
    assert DailyStat.objects.count() == stats
    assert counts[0] == 4 and counts[1] >= 8


def test_demo_sections_and_conference_article(client):
    load()
    company = Section.objects.get(slug="company-news")
    assert company.parent.name == "News center"
    assert {s.slug for s in Section.objects.filter(parent=company.parent)} == {
        "company-news",
        "industry-news",
        "media-coverage",
    }
    report = Article.objects.get(slug="coastal-forum-riverside-line-opens")
    assert report.views > 0
    html = client.get(report.get_absolute_url()).content.decode()
    for part in ("1. Coastal", "2. Riverside", "3. First twenty"):
        assert f"<h2>{part}" in html
    assert html.count("<figcaption") >= 3
    assert html.count("<h3>") >= 2
    assert "Scan the QR code to read on your phone" in html


def test_demo_spreads_articles_over_sections_and_dates():
    load()
    live = Article.objects.live()
    assert live.count() >= 8
    assert live.values("section").distinct().count() == 3
    assert live.dates("published_at", "day").count() >= 5
    assert Article.objects.exclude(pk__in=live).exists()  # a draft and a scheduled one


def test_demo_shows_each_reader_one_version_of_each_story(client):
    load()
    translated = Article.objects.get(slug="coastal-forum-riverside-line-opens-zh")
    chinese_only = Article.objects.get(slug="training-centre-open-day-zh")
    english = client.get("/").content.decode()
    assert translated.title not in english  # its English original is listed instead
    assert f'lang="zh-Hans">{chinese_only.title}</a>' in english  # labelled, not hidden
    chinese = client.get("/zh-hans/").content.decode()
    assert translated.title in chinese and chinese_only.title in chinese
    assert translated.translation_of.title not in chinese
