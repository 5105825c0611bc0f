"""NEWSROOM_VIEW_COUNTING=beacon: the article page counts itself with a same-origin POST.

For sites whose article HTML is served by a CDN or a full-page cache, where the server never
sees the reader's GET. `static/js/beacon.js` posts the page's signed token once the page is
visible (not while prerendered); the token names one article, so the endpoint cannot be used
to inflate another. The same rules as a server-side view apply (bots, prefetch, staff, the
repeat-visit cookie), plus a per-cookie rate limit.
"""

import time
from typing import NamedTuple
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing

from articles.models import Article
from readership import signer, visit_cookie

BEACON_SALT = "newsroom.counting.beacon"
RATE_PER_MINUTE = 30
RETRY_AFTER_SECONDS = 60


def is_on():
    """Whether pages count through the beacon rather than in the article view."""
    return settings.NEWSROOM_VIEW_COUNTING == "beacon"


def page_may_be_shared(request):
    """Whether a reader's page may sit in a shared cache: in beacon mode (the GET counts
    nothing) and for a reader without a session (an editor's page is never shared). The
    session cookie is looked at, not the session, which would add `Vary: Cookie`."""
    return is_on() and settings.SESSION_COOKIE_NAME not in request.COOKIES


def token_for(article_id):
    """Signed article id for the beacon: a page can only count its own article.

    Deterministic (no timestamp), so it may sit in a cached page or behind a CDN.
    """
    return signer.for_salt(BEACON_SALT).sign(str(article_id))


def article_from_token(token):
    """The article id a beacon token was made for; raises signing.BadSignature if forged."""
    value = signer.for_salt(BEACON_SALT).unsign(token)
    if not value.isdigit():
        raise signing.BadSignature("not an article id")
    return int(value)


class Refused(Exception):
    """A beacon not to count, with the HTTP status and message of the answer."""

    def __init__(self, status, message, retry_after=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


class Accepted(NamedTuple):
    article_id: int
    stored_views: int


def accept(request):
    """Check a beacon: same origin, within this reader's rate, a valid token (POST "t"),
    in that order (the body is read last).

    Raises Refused, or Article.DoesNotExist when the token's article is not live.
    """
    if not is_same_origin(request):
        raise Refused(403, "cross-site beacon refused")
    if not visit_cookie.for_request(request).take_beacon(int(time.time()), RATE_PER_MINUTE):
        raise Refused(429, "too many beacons, slow down", retry_after=RETRY_AFTER_SECONDS)
    try:
        article_id = article_from_token(request.POST.get("t", ""))
    except signing.BadSignature:
        raise Refused(400, "bad token") from None
    stored = Article.objects.live().filter(pk=article_id).values_list("views", flat=True).first()
    if stored is None:
        raise Article.DoesNotExist(article_id)
    return Accepted(article_id, stored)


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def is_same_origin(request):
    """Refuse cross-site posts: by Sec-Fetch-Site when sent, else by Origin (against SITE_URL)."""
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.META.get("HTTP_ORIGIN")
    if origin is None:
        return True  # old browsers send neither on same-origin requests
    allowed = {_origin(settings.SITE_URL), *map(_origin, settings.CSRF_TRUSTED_ORIGINS)}
    return origin.lower() in allowed
