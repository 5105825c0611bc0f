"""HTTP semantics for every answer under the API's URLs, which django-ninja leaves to the
project: ETags, 304s and Cache-Control on reads, HEAD without a body, CORS, OPTIONS, and 405s
that list every method a path allows."""

from api import conditional, cors
from api.v1 import api

METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
# The schema, the docs and unknown paths are read-only.
READ_ONLY = "GET, HEAD, OPTIONS"


def routed_to_api(request):
    match = request.resolver_match
    return match is not None and match.namespace == api.urls_namespace


def allow_header(allow):
    """ninja's Allow list with HEAD beside GET and OPTIONS always, in a set order."""
    methods = {method.strip().upper() for method in allow.split(",") if method.strip()}
    if "GET" in methods:
        methods.add("HEAD")
    methods.add("OPTIONS")
    return ", ".join(
        sorted(methods, key=lambda m: METHOD_ORDER.index(m) if m in METHOD_ORDER else 99)
    )


def finish(request, response):
    """The API's answer as HTTP clients and caches expect it."""
    if request.method in cors.READ_METHODS:
        response = conditional.cache_headers(request, response)
        cors.add_read_headers(request, response)
    elif response.status_code == 405 and response.has_header("Allow"):
        response["Allow"] = allow_header(response["Allow"])
    if request.method == "HEAD" and not response.streaming:
        response.content = b""
    return response


class ContentApiMiddleware:
    """Finishes the answers of views routed into the API's URL namespace; passes the rest."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if routed_to_api(request):
            response = finish(request, response)
        return response

    def process_view(self, request, view, view_args, view_kwargs):
        """Answer OPTIONS, a CORS preflight included, with the methods the path allows.

        No operation declares OPTIONS, so the view answers it with ninja's 405, which lists
        them (before any rate limit counts the request).
        """
        if request.method != "OPTIONS" or not routed_to_api(request):
            return None
        answer = view(request, *view_args, **view_kwargs)
        if answer.status_code == 405 and answer.has_header("Allow"):
            return cors.preflight(request, allow_header(answer["Allow"]))
        return cors.preflight(request, READ_ONLY)
