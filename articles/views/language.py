"""Old switcher links, `/lang/<code>/?next=<path>`: on to the same page in that language.

The language is in the address now (README "The site"), and the switcher links straight to the
page in the other language; links to this view from before keep working. It still sets the
language cookie, which only the admin and the API read: a reader's page takes its language from
its address alone, so pages stay cacheable by URL. `next` must be a path on this site: anything
else goes to that language's home.
"""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_from_path, override
from django.views.decorators.http import require_safe

from articles.models import Article
from articles.translations import page_in_language


@require_safe
def switch_language(request, code):
    if code not in dict(settings.LANGUAGES):
        raise Http404("No such language")
    next_url = request.GET.get("next", "")
    # No allowed hosts: only a relative path passes (not "//evil.example", not "https://...").
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(next_url, None):
        next_url = "/"
    response = HttpResponseRedirect(same_page_in(next_url, code))
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


def same_page_in(path, code):
    """The page at `path` (in whichever language its address says) in the language `code`."""
    with override(get_language_from_path(path) or settings.LANGUAGE_CODE):
        try:
            match = resolve(path.split("?", 1)[0])
        except Resolver404:
            match = None
        article = None
        if match is not None and match.view_name == "articles:article":
            article = (
                Article.objects.live()
                .select_related("section")
                .filter(section__slug=match.kwargs["section_slug"], slug=match.kwargs["slug"])
                .first()
            )
        return page_in_language(path, code, article)
