"""CORS: other sites' pages may read the API (GET and HEAD) from NEWSROOM_API_CORS_ORIGINS only.

Nothing else crosses origins: the view report is for apps, not for other sites' scripts.
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

READ_METHODS = ("GET", "HEAD")
# Request headers a cross-origin read may send: conditional GET and content negotiation.
ALLOWED_HEADERS = {
    "accept",
    "accept-language",
    "content-language",
    "if-none-match",
    "if-modified-since",
    "cache-control",
}
EXPOSED_HEADERS = "ETag, Retry-After"
PREFLIGHT_MAX_AGE = 86400  # a day: browsers cap it lower anyway


def allowed_origin(request):
    """The value for Access-Control-Allow-Origin, or None when the origin is not allowed."""
    origin = request.headers.get("Origin")
    allowed = settings.NEWSROOM_API_CORS_ORIGINS
    if not origin or not allowed:
        return None
    if "*" in allowed:
        return "*"
    return origin if origin in allowed else None


def add_read_headers(request, response):
    """Let an allowed origin read `response`, with its ETag and Retry-After."""
    origin = allowed_origin(request)
    if origin:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if origin != "*":
        patch_vary_headers(response, ["Origin"])


def preflight(request, allow):
    """The answer to OPTIONS: the methods the path allows, and a CORS grant for reads asked by
    an allowed origin with allowed headers."""
    response = HttpResponse(status=204)
    response["Allow"] = allow
    origin = allowed_origin(request)
    method = request.headers.get("Access-Control-Request-Method", "")
    asked = {
        header.strip().lower()
        for header in request.headers.get("Access-Control-Request-Headers", "").split(",")
        if header.strip()
    }
    if origin and method in READ_METHODS and "GET" in allow and asked <= ALLOWED_HEADERS:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = ", ".join(READ_METHODS)
        if asked:
            response["Access-Control-Allow-Headers"] = ", ".join(sorted(asked))
        response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    if origin != "*":
        patch_vary_headers(response, ["Origin"])
    return response
