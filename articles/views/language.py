"""Switching the interface language with a plain link: `/lang/<code>/?next=<path>`.

Why not Django's `set_language`: it takes a POST with a CSRF token, which would put a token
(and a `csrftoken` cookie) into every reader's page, so no page could be cached whole or by a
CDN. A language preference is not worth forging: the worst a forged link does is show a
reader the other language, which the same switcher undoes. `next` must be a path on this
site: anything else goes home.
"""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe


@require_safe
def switch_language(request, code):
    if code not in dict(settings.LANGUAGES):
        raise Http404("No such language")
    next_url = request.GET.get("next", "")
    # No allowed hosts: only a relative path passes (not "//evil.example", not "https://...").
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(next_url, None):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response
