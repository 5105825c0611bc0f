"""The API's errors, all in its `Error` shape: 400 for bad input (not ninja's 422), and a JSON
404 for paths under the API that name nothing (not the site's HTML page)."""

from django.http import JsonResponse
from ninja.errors import HttpError


class BadInput(HttpError):
    """A 400 for input the schema let through; `loc` says which parameter, as pydantic does."""

    def __init__(self, message, loc=None):
        super().__init__(400, message)
        self.loc = loc


def invalid_input_body(exc):
    """The Error body for ninja's ValidationError: one item per invalid parameter."""
    errors = [
        {
            "loc": [str(part) if not isinstance(part, int) else part for part in e.get("loc", ())],
            "msg": e["msg"],
        }
        for e in exc.errors
    ]
    return {"detail": "Invalid input.", "errors": errors}


def bad_input_body(exc):
    errors = [{"loc": exc.loc, "msg": exc.message}] if exc.loc else []
    return {"detail": exc.message, "errors": errors}


def not_found(request, *args, **kwargs):
    return JsonResponse({"detail": "Not Found", "errors": []}, status=404)
