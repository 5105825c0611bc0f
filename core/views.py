"""Health endpoints for the load balancer and monitoring (README "Production").

`/healthz` says the process answers: no database, no cache. `/readyz` runs every registered
readiness probe (core.health) and answers 503 naming what failed. Neither is cached, counted,
language-prefixed or indexed, and neither touches the session, so no cookie is set.
"""

from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core import health


def _not_indexed(response):
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_safe
def healthz(request):
    return _not_indexed(HttpResponse("ok\n", content_type="text/plain; charset=utf-8"))


@never_cache
@require_safe
def readyz(request):
    checks = health.check_all()
    failed = sorted(name for name, verdict in checks.items() if verdict == health.FAILED)
    body = {"status": "unavailable" if failed else "ready", "failed": failed, "checks": checks}
    return _not_indexed(JsonResponse(body, status=503 if failed else 200))
