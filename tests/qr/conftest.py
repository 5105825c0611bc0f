import pytest
from django.test import Client

from tests.support.agents import PHONE


@pytest.fixture
def reader():
    """A phone's browser: the counters do not count clients without a browser User-Agent."""
    return Client(HTTP_USER_AGENT=PHONE)


@pytest.fixture
def redis_counts(settings, redis_url):
    """Counts buffered in the Redis of TEST_REDIS_URL, its keys emptied before and after."""
    import redis

    from readership.backends import redis as redis_store

    settings.NEWSROOM_VIEW_STORE = "redis"
    settings.NEWSROOM_VIEW_REDIS_URL = redis_url
    settings.NEWSROOM_VIEW_FLUSH = 0  # flushes only when a test says
    client = redis.Redis.from_url(redis_url)

    def clean():
        for key in client.scan_iter(f"{redis_store.REDIS_PREFIX}:*"):
            client.delete(key)

    clean()
    yield client
    clean()
