"""QR endpoints: the short link a code holds, and the code itself as SVG or PNG.

`/s/<code>/` counts one scan and redirects to the article. `<article-url>qr.svg`
and `<article-url>qr.png?size=N` serve the cached files with a strong ETag;
parameters are checked strictly (anything unknown or malformed is a 400), so a
cache in front of us never stores junk variants and a typo is reported, not
silently ignored.
"""

import contextlib
import re

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
)
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from articles import workflow
from articles.models import SHORT_CODE_ALPHABET, Article, short_url
from core import pagecache
from qr import codes
from readership import counts

SHORT_CODE_RE = re.compile(f"[{re.escape(SHORT_CODE_ALPHABET)}]{{1,16}}")
SIZE_RE = re.compile(r"[1-9][0-9]{2,3}")  # digits only: no sign, exponent, space or leading 0
PUBLIC_SECONDS = 24 * 3600


class BadParameter(Exception):
    """A query parameter the endpoint refuses; the message goes back to the client."""


def bad_request(message):
    return HttpResponse(
        message + "\n", status=400, content_type="text/plain; charset=utf-8", charset="utf-8"
    )


def _params(request, allowed):
    """The query parameters as a dict, refusing unknown or repeated ones."""
    params = {}
    for name, values in request.GET.lists():
        if name not in allowed:
            shown = name[:40].encode("unicode_escape").decode("ascii")
            raise BadParameter(
                f"Unknown parameter {shown!r}; this address takes only: {', '.join(allowed)}."
            )
        if len(values) != 1:
            raise BadParameter(f"Give {name} once.")
        params[name] = values[0]
    return params


def _download(params):
    value = params.get("download", "0")
    if value not in ("0", "1"):
        raise BadParameter("download must be 1 (save as a file) or 0 (show in the browser).")
    return value == "1"


def _size(params):
    if "size" not in params:
        return codes.PNG_DEFAULT_SIZE
    value = params["size"]
    size = int(value) if SIZE_RE.fullmatch(value) else None
    if size is None or not codes.PNG_MIN_SIZE <= size <= codes.PNG_MAX_SIZE:
        low, high = codes.PNG_MIN_SIZE, codes.PNG_MAX_SIZE
        raise BadParameter(f"size must be a whole number of pixels from {low} to {high}.")
    return size


def _target(request, section_slug, slug):
    """(slug, short URL, public) of the article of the page URL.

    A live article's slug and short code are cached per content generation (as its page is),
    so a warm code is served without a query; anything else is looked up (`_article`).
    """
    key = pagecache.fragment_key(("qr-target", section_slug, slug))
    gen, live = pagecache.fetch(key)
    if live is None:
        article, public = _article(request, section_slug, slug)
        if not public:
            return article.slug, article.get_short_url(), False
        # Live until an edit, unpublish or delete, which change the generation.
        live = (article.slug, article.short_code)
        pagecache.store(key, gen, live, pagecache.cache_seconds())
    return live[0], short_url(live[1]), True


def _article(request, section_slug, slug):
    """The article of the page URL; live ones for all, drafts only for editors who may preview.

    Returns (article, public). The user (and so the session) is only looked at
    for articles that are not live, so public responses do not vary by cookie.
    """
    article = get_object_or_404(
        Article.objects.select_related("section").only(
            "slug", "short_code", "status", "published_at", "author_id", "section__slug"
        ),
        section__slug=section_slug,
        slug=slug,
    )
    if article.is_live:
        return article, True
    if workflow.can_view(request.user, article):
        return article, False
    raise Http404("No such article")


def _file_response(request, file, filename, download, public):
    response = HttpResponse(file.content, content_type=file.content_type)
    response["ETag"] = file.etag
    response["Content-Disposition"] = content_disposition_header(download, filename)
    if public:
        patch_cache_control(response, public=True, max_age=PUBLIC_SECONDS)
    else:
        # A draft's code: for the editor only, never kept by shared caches.
        patch_cache_control(response, private=True, no_cache=True)
    return get_conditional_response(request, etag=file.etag, response=response)


@require_safe
def qr_svg(request, section_slug, slug):
    """The article's code as a standalone SVG (for layout and print tools)."""
    try:
        params = _params(request, ("download",))
        download = _download(params)
    except BadParameter as error:
        return bad_request(str(error))
    slug, link, public = _target(request, section_slug, slug)
    file = codes.svg_file(link)
    return _file_response(request, file, f"{slug}-qr.svg", download, public)


@require_safe
def qr_png(request, section_slug, slug):
    """The article's code as a PNG of `size` pixels square (128 to 2048, default 512)."""
    try:
        params = _params(request, ("size", "download"))
        size, download = _size(params), _download(params)
    except BadParameter as error:
        return bad_request(str(error))
    slug, link, public = _target(request, section_slug, slug)
    file = codes.png_file(link, size)
    return _file_response(request, file, f"{slug}-qr.png", download, public)


def counts_as_scan(request):
    """A reader arriving from outside: a GET by a person's browser (the counters' rules), not a
    click on the short link printed on our own page (same-site navigation, or our Referer)."""
    if not counts.should_count(request):
        return False
    if request.headers.get("Sec-Fetch-Site", "").lower() in ("same-origin", "same-site"):
        return False
    referer = request.headers.get("Referer", "")
    return not (referer == settings.SITE_URL or referer.startswith(settings.SITE_URL + "/"))


@require_safe
def short_link(request, code):
    """The link a QR code holds: count one scan and send the reader to the article.

    Codes are case-insensitive (someone typing the printed link may use capitals).
    Editors who may preview are sent on to a draft without counting a scan. The
    redirect is never cached, so every scan reaches us; what counts as a scan is
    `counts_as_scan` (not HEAD, bots, prefetches, staff, or clicks from our own pages).
    """
    code = code.lower()
    if not SHORT_CODE_RE.fullmatch(code):
        raise Http404("No such short link")
    article = get_object_or_404(
        Article.objects.select_related("section").only(
            "slug", "status", "published_at", "author_id", "section__slug"
        ),
        short_code=code,
    )
    if article.is_live:
        if counts_as_scan(request):
            with contextlib.suppress(counts.NotCounted):  # logged; the phone still gets there
                counts.count_qr_scan(article.pk)
    elif not workflow.can_view(request.user, article):
        raise Http404("No such short link")
    response = HttpResponseRedirect(article.get_full_url())
    add_never_cache_headers(response)
    return response
