"""Writes the repeat-visit cookie (`visit_cookie.py`) on the way out."""

from readership import visit_cookie


class ViewWindowMiddleware:
    """Sets the `nr_seen` cookie when a view was counted (or a beacon spent) on this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        visit_cookie.save(request, response)
        return response
