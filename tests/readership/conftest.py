"""Fixtures of the readership tests: a reader's browser, and counting through Redis."""

import pytest
from django.test import Client

from readership.backends import redis as redis_store
from tests.support.agents import CHROME


@pytest.fixture
def reader():
    """A browser that keeps cookies."""
    return Client(HTTP_USER_AGENT=CHROME)


@pytest.fixture
def redis_counts(settings, redis_url):
    """Views buffered in the Redis of TEST_REDIS_URL, its keys emptied before and after."""
    import redis

    settings.NEWSROOM_VIEW_STORE = "redis"
    settings.NEWSROOM_VIEW_REDIS_URL = redis_url
    client = redis.Redis.from_url(redis_url)

    def clean():
        for key in client.scan_iter(f"{redis_store.REDIS_PREFIX}:*"):
            client.delete(key)

    clean()
    yield client
    clean()
