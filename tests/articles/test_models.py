"""The content model: what is live, what save() keeps and what it never overwrites."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from articles.models import SHORT_CODE_ALPHABET, Article
from readership import counts
from readership.models import DailyStat

pytestmark = pytest.mark.django_db


def test_live_means_published_and_due(make_article):
    live = make_article()
    make_article(status=Article.Status.DRAFT)
    make_article(status=Article.Status.REVIEW)
    scheduled = make_article(published_at=timezone.now() + timedelta(minutes=5))
    assert list(Article.objects.live()) == [live]
    assert scheduled.is_scheduled and not scheduled.is_live
    # No cron job: the same row is live once its time has come.
    assert scheduled in Article.objects.live(now=timezone.now() + timedelta(minutes=6))


def test_first_publish_stamps_time_of_issue(section):
    article = Article.objects.create(
        title="T", slug="t", section=section, status=Article.Status.PUBLISHED
    )
    assert article.published_at is not None
    assert article.published_at <= timezone.now()


def test_body_is_sanitised_on_save(make_article):
    article = make_article(body='<p onclick="x()">Hi<script>alert(1)</script></p>')
    article.refresh_from_db()
    assert article.body == "<p>Hi</p>"


def test_stale_save_never_erases_counted_views(article):
    stale = Article.objects.get(pk=article.pk)
    for _ in range(3):
        counts.count_view(article.pk)
    stale.title = "Edited title"
    stale.save()
    article.refresh_from_db()
    assert article.title == "Edited title"
    assert article.views == 3


def test_slug_is_unique_within_a_section_only(make_article, section, news_center):
    make_article(slug="same")
    make_article(slug="same", section=news_center)
    with pytest.raises(IntegrityError):
        make_article(slug="same")


def test_short_code_is_short_and_readable(article):
    assert len(article.short_code) == 6
    assert set(article.short_code) <= set(SHORT_CODE_ALPHABET)
    assert article.get_short_url() == f"http://testserver/s/{article.short_code}/"


def test_counting_updates_total_and_day_row(article):
    assert counts.count_view(article.pk) == 1
    assert counts.count_view(article.pk) == 2
    counts.count_qr_scan(article.pk)
    row = DailyStat.objects.get(article=article)
    assert (row.views, row.qr_scans) == (2, 1)
    assert counts.count_view(10**9) is None
