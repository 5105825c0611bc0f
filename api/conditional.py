"""HTTP caching of the API's reads: strong ETags, CDN-friendly Cache-Control and 304s."""

import hashlib

from django.conf import settings
from django.utils import timezone
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.http import parse_http_date_safe


def cache_control_until(due):
    """Cache-Control for a read that changes at `due` (None: no change due): shared caches
    neither keep it nor serve it stale past that moment, so an unpublish time holds
    downstream too. Set by an operation, it stands in for the default below."""
    seconds = settings.NEWSROOM_CACHE_SECONDS
    if due is None:
        max_age, stale, on_error = seconds, seconds, max(seconds, 600)
    else:
        remaining = max(0, int((due - timezone.now()).total_seconds()))
        max_age = min(seconds, remaining)
        stale = on_error = min(seconds, remaining - max_age)
    return f"public, max-age={max_age}, stale-while-revalidate={stale}, stale-if-error={on_error}"


def cache_headers(request, response):
    """ETag and Cache-Control on a successful read, and a 304 when the client already has this
    representation; a rate-limit answer must not be cached at all."""
    if response.status_code == 429:
        response["Cache-Control"] = "no-store"
    if response.status_code != 200 or response.streaming:
        return response
    if not response.has_header("ETag"):
        digest = hashlib.blake2b(response.content, digest_size=16).hexdigest()
        response["ETag"] = quote_etag(digest)
    if not response.has_header("Cache-Control"):
        response["Cache-Control"] = cache_control_until(None)
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    return get_conditional_response(
        request, etag=response["ETag"], last_modified=last_modified, response=response
    )
