"""Views still pending in Redis are flushed into the database before the snapshot."""

import json

import pytest
import redis
from django.core.management import call_command

from articles.models import Article
from readership import counts


@pytest.mark.redis
def test_pending_redis_views_are_in_the_backup(
    transactional_db, article, settings, redis_url, tmp_path
):
    settings.NEWSROOM_VIEW_STORE = "redis"
    settings.NEWSROOM_VIEW_REDIS_URL = redis_url
    settings.NEWSROOM_VIEW_FLUSH = 0  # only an explicit flush moves counts
    redis.Redis.from_url(redis_url).flushdb()
    for _ in range(3):
        counts.count_view(article.pk)
    assert Article.objects.get(pk=article.pk).views == 0  # pending in Redis

    call_command("backup", str(tmp_path / "backup"), verbosity=0)

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["database"]["tables"]["articles_dailystat"] == 1
    assert Article.objects.get(pk=article.pk).views == 3
