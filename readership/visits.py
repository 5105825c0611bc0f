"""One view per reader per window: the signed "seen" cookie, and what the article page shows.

Why a module: the repeat-visit rule is privacy-sensitive and shared by the article view (server
mode) and the beacon endpoint (beacon mode). A reader is recognised by one first-party cookie for
all articles (`nr_seen`: signed, HttpOnly, SameSite=Lax, Secure over HTTPS, lasting
NEWSROOM_VIEW_WINDOW seconds) that lists the articles counted for it in the window and when. No
IP address, fingerprint or session row is stored: there is nothing on the server to purge. A
client that keeps no cookies counts on each request. NEWSROOM_VIEW_WINDOW=0 turns the cookie off.

Where counting happens: `views_for_page()` is called by the article view (`views/reader.py`,
`article_detail`) before the page, rendered or from the cache, is filled in and sent, so a
page served from the cache still counts. `ViewWindowMiddleware` writes the cookie on the way out.
"""

import functools
import hashlib
import hmac
import time

from django.conf import settings
from django.core import signing
from django.db import DatabaseError
from django.utils.encoding import force_bytes
from django.utils.http import http_date

from readership import counts

COOKIE_NAME = "nr_seen"
COOKIE_SALT = "newsroom.counting.seen"
BEACON_SALT = "newsroom.counting.beacon"
MAX_ENTRIES = 64  # articles remembered per reader; keeps the cookie well under 1 kB
BEACON_RATE_PER_MINUTE = 30


class KeyedSigner(signing.Signer):
    """Django's Signer (same signatures, same key rotation) with each key's HMAC state derived
    once: signing the cookie on every counted view then costs 4 µs instead of 17."""

    def __init__(self, *, salt, key, fallback_keys):
        super().__init__(salt=salt, key=key, fallback_keys=fallback_keys)
        self._macs = {}

    def signature(self, value, key=None):
        key = key or self.key
        mac = self._macs.get(key)
        if mac is None:
            # Django's salted_hmac: the HMAC key is a hash of the salt and the secret.
            derived = hashlib.sha256(force_bytes(self.salt + "signer") + force_bytes(key))
            mac = self._macs[key] = hmac.new(derived.digest(), digestmod=hashlib.sha256)
        mac = mac.copy()
        mac.update(force_bytes(value))
        return signing.b64_encode(mac.digest()).decode()


@functools.lru_cache(maxsize=16)
def _signer(salt, key, fallback_keys):
    return KeyedSigner(salt=salt, key=key, fallback_keys=list(fallback_keys))


def signer(salt):
    """The signer for `salt` with the current SECRET_KEY and its fallbacks."""
    return _signer(salt, settings.SECRET_KEY, tuple(settings.SECRET_KEY_FALLBACKS))


def _b36(n):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


class Seen:
    """What the cookie says: {article_id: last counted (epoch s)} and a beacon rate bucket."""

    def __init__(self, entries=None, minute=0, beacons=0):
        self.entries = entries or {}
        self.minute = minute
        self.beacons = beacons
        self.dirty = False

    @classmethod
    def from_cookie(cls, raw):
        if not raw:
            return cls()
        try:
            value = signer(COOKIE_SALT).unsign(raw)
            rate, _, items = value.partition("_")
            minute, beacons = (int(part, 36) for part in rate.split("."))
            entries = {}
            for item in filter(None, items.split("-")):
                article_id, seen_at = item.split(".")
                entries[int(article_id, 36)] = int(seen_at, 36)
            return cls(entries, minute, beacons)
        except (signing.BadSignature, ValueError):
            return cls()  # forged, truncated or from an older format: a new reader

    def to_cookie(self, now, window):
        fresh = sorted(((t, a) for a, t in self.entries.items() if now - t < window), reverse=True)[
            :MAX_ENTRIES
        ]
        items = "-".join(f"{_b36(a)}.{_b36(t)}" for t, a in fresh)
        value = f"{_b36(self.minute)}.{_b36(self.beacons)}_{items}"
        return signer(COOKIE_SALT).sign(value)

    def counted_recently(self, article_id, now, window):
        seen_at = self.entries.get(article_id)
        return seen_at is not None and 0 <= now - seen_at < window

    def mark(self, article_id, now):
        self.entries[article_id] = now
        self.dirty = True

    def take_beacon(self, now):
        """Spend one beacon of this minute's allowance; False when it is used up."""
        minute = now // 60
        if minute != self.minute:
            self.minute, self.beacons = minute, 0
        self.dirty = True
        if self.beacons >= BEACON_RATE_PER_MINUTE:
            return False
        self.beacons += 1
        return True


def seen_for(request):
    """The request's parsed cookie (parsed once; the middleware writes it back if changed)."""
    seen = getattr(request, "_newsroom_seen", None)
    if seen is None:
        seen = request._newsroom_seen = Seen.from_cookie(request.COOKIES.get(COOKIE_NAME))
    return seen


def count_once(request, article_id, db_total=None):
    """Count the view unless this reader's cookie shows it counted within the window.

    The caller has checked `counts.should_count`. Returns (total shown, counted).
    """
    window = settings.NEWSROOM_VIEW_WINDOW
    now = int(time.time())
    seen = seen_for(request) if window > 0 else None
    if seen is not None and seen.counted_recently(article_id, now, window):
        return counts.current_views(article_id, db_total), False
    try:
        total = counts.count_view(article_id, db_total=db_total)
    except counts.NotCounted:
        # Dropped and logged; not remembered in the cookie, so the next visit counts.
        return last_known_views(article_id, db_total), False
    if total is None:
        return None, False
    if seen is not None:
        seen.mark(article_id, now)
    return total, True


def last_known_views(article_id, db_total=None):
    """The figure to show when the database did not take the count: a read if it answers."""
    try:
        return counts.current_views(article_id, db_total)
    except DatabaseError:
        return db_total


def beacon_mode():
    return settings.NEWSROOM_VIEW_COUNTING == "beacon"


def views_for_page(request, article_id, db_total=None, preview=False):
    """The "Views: N" figure for the article page, counting this view when it should; None
    when the database could not tell (the page then shows a dash, not a false 0).

    In server mode a reader's GET counts here, before the page (or its cached copy) is filled
    in; in beacon mode the page shows the current total and its script counts
    (`views/beacon.py`). `db_total` is the stored figure when the caller has the row.
    """
    if beacon_mode() or not counts.should_count(request, preview=preview):
        return counts.current_views(article_id, db_total)
    total, _ = count_once(request, article_id, db_total)
    return db_total if total is None else total


def beacon_token(article_id):
    """Signed article id for the beacon: a page can only count its own article.

    Deterministic (no timestamp), so it may sit in a cached page or behind a CDN.
    """
    return signer(BEACON_SALT).sign(str(article_id))


def article_from_token(token):
    """The article id a beacon token was made for; raises signing.BadSignature if forged."""
    value = signer(BEACON_SALT).unsign(token)
    if not value.isdigit():
        raise signing.BadSignature("not an article id")
    return int(value)


@functools.lru_cache(maxsize=1)
def cookie_expires(now, window):
    """The cookie's Expires date, `window` seconds after `now` (whole seconds): set_cookie
    would format it on every counted view (~4 µs); it changes once a second."""
    return http_date(now + window)


class ViewWindowMiddleware:
    """Writes the `nr_seen` cookie when a view was counted (or a beacon spent) on this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        seen = getattr(request, "_newsroom_seen", None)
        window = settings.NEWSROOM_VIEW_WINDOW
        if seen is not None and seen.dirty and window > 0:
            now = int(time.time())
            response.set_cookie(
                COOKIE_NAME,
                seen.to_cookie(now, window),
                expires=cookie_expires(now, window),
                max_age=window,
                path="/",
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
