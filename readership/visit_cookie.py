"""The repeat-visit cookie: the articles this reader was counted for in the window, and when.

One first-party cookie for all articles (`nr_seen`: signed, HttpOnly, SameSite=Lax, Secure over
HTTPS, lasting NEWSROOM_VIEW_WINDOW seconds). No IP address, fingerprint or session row is
stored: there is nothing on the server to purge. A client that keeps no cookies counts on each
request; NEWSROOM_VIEW_WINDOW=0 turns the cookie off. It also holds the beacon's rate bucket.
"""

import functools
import time

from django.conf import settings
from django.core import signing
from django.utils.http import http_date

from readership import signer

COOKIE_NAME = "nr_seen"
COOKIE_SALT = "newsroom.counting.seen"
MAX_ENTRIES = 64  # articles remembered per reader; keeps the cookie well under 1 kB
REQUEST_ATTRIBUTE = "_newsroom_seen"


def _b36(n):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


class VisitCookie:
    """What the cookie says: {article_id: last counted (epoch s)} and a beacon rate bucket
    (the minute, and the beacons spent in it)."""

    def __init__(self, counted_at=None, minute=0, beacons=0):
        self.counted_at = counted_at or {}
        self.minute = minute
        self.beacons = beacons
        self.changed = False

    @classmethod
    def parse(cls, raw):
        """The cookie's content; a new reader's when it is absent, forged or unreadable."""
        if not raw:
            return cls()
        try:
            value = signer.for_salt(COOKIE_SALT).unsign(raw)
            rate, _, items = value.partition("_")
            minute, beacons = (int(part, 36) for part in rate.split("."))
            counted_at = {}
            for item in filter(None, items.split("-")):
                article_id, seen_at = item.split(".")
                counted_at[int(article_id, 36)] = int(seen_at, 36)
            return cls(counted_at, minute, beacons)
        except (signing.BadSignature, ValueError):
            return cls()  # forged, truncated or from an older format: a new reader

    def signed_value(self, now, window):
        """The cookie's value: the latest MAX_ENTRIES articles still in the window, signed."""
        fresh = sorted(
            ((t, a) for a, t in self.counted_at.items() if now - t < window), reverse=True
        )[:MAX_ENTRIES]
        items = "-".join(f"{_b36(a)}.{_b36(t)}" for t, a in fresh)
        value = f"{_b36(self.minute)}.{_b36(self.beacons)}_{items}"
        return signer.for_salt(COOKIE_SALT).sign(value)

    def counted_recently(self, article_id, now, window):
        seen_at = self.counted_at.get(article_id)
        return seen_at is not None and 0 <= now - seen_at < window

    def mark_counted(self, article_id, now):
        self.counted_at[article_id] = now
        self.changed = True

    def take_beacon(self, now, per_minute):
        """Spend one of this minute's `per_minute` beacons; False when they are used up."""
        minute = now // 60
        if minute != self.minute:
            self.minute, self.beacons = minute, 0
        self.changed = True
        if self.beacons >= per_minute:
            return False
        self.beacons += 1
        return True


def for_request(request):
    """The request's cookie, parsed once; `save` writes it back if it changed."""
    visit = getattr(request, REQUEST_ATTRIBUTE, None)
    if visit is None:
        visit = VisitCookie.parse(request.COOKIES.get(COOKIE_NAME))
        setattr(request, REQUEST_ATTRIBUTE, visit)
    return visit


def save(request, response):
    """Set the cookie on `response` when this request changed it (a view counted, a beacon
    spent) and the window is on."""
    visit = getattr(request, REQUEST_ATTRIBUTE, None)
    window = settings.NEWSROOM_VIEW_WINDOW
    if visit is None or not visit.changed or window <= 0:
        return
    now = int(time.time())
    response.set_cookie(
        COOKIE_NAME,
        visit.signed_value(now, window),
        expires=expires(now, window),
        max_age=window,
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


@functools.lru_cache(maxsize=1)
def expires(now, window):
    """The cookie's Expires date, `window` seconds after `now` (whole seconds), for browsers
    without Max-Age. set_cookie would format it on every counted view; it changes once a
    second."""
    return http_date(now + window)
