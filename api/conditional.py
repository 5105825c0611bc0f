"""HTTP caching of the API's reads: strong ETags, CDN-friendly Cache-Control and 304s."""

import hashlib

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.http import parse_http_date_safe


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
        seconds = settings.NEWSROOM_CACHE_SECONDS
        patch_cache_control(
            response,
            public=True,
            max_age=seconds,
            stale_while_revalidate=seconds,
            stale_if_error=max(seconds, 600),
        )
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    return get_conditional_response(
        request, etag=response["ETag"], last_modified=last_modified, response=response
    )
