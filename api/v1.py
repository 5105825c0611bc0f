"""The Content API, version 1: read-only JSON of live articles for apps, mini-programs and
partner sites, mounted at /api/v1/ (api/urls.py).

Built on django-ninja: the operations (`endpoints.py`) take typed parameters and return dicts
checked against the pydantic models of `schemas.py`, from which the OpenAPI schema
(/api/v1/openapi.json) and the browsable docs (/api/v1/docs, Swagger UI from ninja's own static
files) are made. What a public read API needs beyond that is the project's: the per-client rate
limits (`throttling.py`), JSON 400s for bad input (here), and ETags, 304s, Cache-Control,
HEAD, OPTIONS and CORS for every answer under /api/v1/ (`middleware.py`).
"""

from django.conf import settings
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.openapi.docs import Swagger

from api import endpoints, errors
from api.throttling import ReadThrottle

api = NinjaAPI(
    title=f"{settings.SITE_NAME} Content API",
    version="1",
    description=(
        "Read-only JSON of the live articles and the section tree, for apps, mini-programs "
        "and partner sites. Anonymous; rate limited per client (429 with Retry-After). "
        "Responses carry ETag and Last-Modified: send If-None-Match to get a 304. "
        "Reading an article counts no view: report views with POST /articles/{id}/view."
    ),
    urls_namespace="api-v1",
    docs=Swagger(settings={"validatorUrl": None, "tryItOutEnabled": True}),
    throttle=[ReadThrottle()],
)
api.add_router("", endpoints.router)


@api.exception_handler(ValidationError)
def invalid_input(request, exc):
    """A 400 in the Error shape, where ninja would answer 422."""
    return api.create_response(request, errors.invalid_input_body(exc), status=400)


@api.exception_handler(errors.BadInput)
def bad_input(request, exc):
    return api.create_response(request, errors.bad_input_body(exc), status=400)
