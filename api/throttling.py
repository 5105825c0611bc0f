"""Per-client rate limits: a fixed window per client and scope, counted in the cache."""

import hashlib
import math
import threading
import time
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from ninja.throttling import BaseThrottle

OFF = ("", "0", "off", "none")
PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


class Rate(NamedTuple):
    limit: int
    seconds: int


def parse_rate(value):
    """The `Rate` a setting such as "600/min" asks for; None when the limit is off.

    Raises ValueError for a rate that is not a count per s, min, hour or day.
    """
    text = str(value or "").strip().lower()
    if text in OFF:
        return None
    count, _, period = text.partition("/")
    try:
        return Rate(int(count), PERIODS[period or "s"])
    except (KeyError, ValueError):
        raise ValueError(f"{value!r} is not a rate such as '600/min'") from None


class ClientRateThrottle(BaseThrottle):
    """At most `rate()` requests per window from each client: one cache `incr` per request.

    Clients are told apart by ninja's `get_ident`: REMOTE_ADDR, or X-Forwarded-For only as far
    as NINJA_NUM_PROXIES trusts it (never a header a client could simply make up).
    """

    scope = ""

    def __init__(self):
        self._local = threading.local()  # allow_request's window, for wait() in the same thread

    def rate(self):
        """The Rate to apply, or None; read on every request, so tests can change it."""
        raise NotImplementedError

    def allow_request(self, request):
        rate = self.rate()
        if rate is None:
            return True
        now = time.time()
        window = int(now // rate.seconds)
        ident = hashlib.blake2b(str(self.get_ident(request)).encode(), digest_size=12).hexdigest()
        key = f"newsroom:api-rate:{self.scope}:{ident}:{window}"
        cache.add(key, 0, rate.seconds + 1)
        try:
            used = cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, rate.seconds + 1)
            used = 1
        self._local.wait = rate.seconds - (now - window * rate.seconds)
        return used <= rate.limit

    def wait(self):
        return max(1, math.ceil(getattr(self._local, "wait", 1)))


class ReadThrottle(ClientRateThrottle):
    scope = "read"

    def rate(self):
        return parse_rate(settings.NEWSROOM_API_RATE)


class ViewReportThrottle(ClientRateThrottle):
    scope = "view"

    def rate(self):
        return parse_rate(settings.NEWSROOM_API_VIEW_RATE)
