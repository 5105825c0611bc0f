"""flush_views and reset_views."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from readership import counts
from readership.models import DailyStat
from tests.readership.helpers import daily_views, views
from tests.support.agents import CHROME


def test_reset_views_command(settings, article):
    for _ in range(3):
        Client(HTTP_USER_AGENT=CHROME).get(article.get_absolute_url())
    counts.count_qr_scan(article.pk)
    call_command("reset_views", str(article.pk), "--noinput", verbosity=0)
    article.refresh_from_db()
    assert (article.views, article.qr_scans) == (0, 1)
    assert daily_views(article) == 0
    assert DailyStat.objects.get(article=article).qr_scans == 1
    call_command(
        "reset_views", f"{article.section.slug}/{article.slug}", "--scans", "--noinput", verbosity=0
    )
    article.refresh_from_db()
    assert article.qr_scans == 0 and not DailyStat.objects.filter(article=article).exists()


def test_reset_views_unknown_article_is_an_error(db):
    with pytest.raises(CommandError):
        call_command("reset_views", "no-such-article", "--noinput")


def test_reset_views_drops_pending_redis_counts(settings, redis_counts, article):
    settings.NEWSROOM_VIEW_FLUSH = 0
    counts.count_view(article.pk)
    counts.count_view(article.pk)
    call_command("reset_views", article.short_code, "--noinput", verbosity=0)
    counts.flush()
    assert views(article) == 0
    assert counts.pending_counts(article.pk)["views"] == 0


def test_flush_views_with_the_database_store_says_so(db, capsys):
    call_command("flush_views")
    assert "NEWSROOM_VIEW_STORE=database" in capsys.readouterr().out


def test_commands_with_redis_down_change_nothing_and_say_so(settings, article):
    settings.NEWSROOM_VIEW_STORE = "redis"
    settings.NEWSROOM_VIEW_REDIS_URL = "redis://127.0.0.1:8199/0"  # nothing listens there
    with pytest.raises(CommandError, match="Redis is unreachable"):
        call_command("flush_views", verbosity=0)
    with pytest.raises(CommandError, match="not reset"):
        call_command("reset_views", str(article.pk), "--noinput", verbosity=0)
