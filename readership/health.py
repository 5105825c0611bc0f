"""The readiness probe of the Redis view store (registered in ReadershipConfig.ready).

While Redis is down views are counted in the database (backends/redis.py), so the site keeps
working; readiness still says so, because counts are then slower and monitoring should know.
"""

from django.conf import settings

from readership.backends.redis import store_for


def view_store_answers() -> bool:
    if settings.NEWSROOM_VIEW_STORE != "redis":
        return False
    store_for(settings.NEWSROOM_VIEW_REDIS_URL).buffer.client.ping()
    return True
