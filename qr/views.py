"""QR endpoints: the short link a code holds, and the code itself as SVG or PNG.

`/s/<code>/` counts one scan and redirects to the article. `<article-url>qr.svg` and
`<article-url>qr.png?size=N` serve the cached files with a strong ETag, and
`<article-url>poster.pdf?size=a4|a5` the printable poster; their parameters are checked
strictly (`qr.forms`).
"""

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
)
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from articles import workflow
from qr import codes, links, poster_files, scans
from qr.forms import PngFileForm, PosterForm, SvgFileForm

PUBLIC_SECONDS = 24 * 3600


@require_safe
def qr_svg(request, section_slug, slug):
    """The article's code as a standalone SVG (for layout and print tools)."""
    form = SvgFileForm(request.GET)
    if not form.is_valid():
        return bad_request(form.first_error())
    target = _target_or_404(request, section_slug, slug)
    file = codes.svg_file(target.short_url)
    download = form.cleaned_data["download"]
    return file_response(request, file, f"{target.slug}-qr.svg", download, target.public)


@require_safe
def qr_png(request, section_slug, slug):
    """The article's code as a PNG of `size` pixels square (128 to 2048, default 512)."""
    form = PngFileForm(request.GET)
    if not form.is_valid():
        return bad_request(form.first_error())
    target = _target_or_404(request, section_slug, slug)
    file = codes.png_file(target.short_url, form.cleaned_data["size"])
    download = form.cleaned_data["download"]
    return file_response(request, file, f"{target.slug}-qr.png", download, target.public)


@require_safe
def poster_pdf(request, section_slug, slug):
    """The article's printable poster (A4, or ?size=a5): a live one for all, a draft's with a
    preview banner for editors who may preview it."""
    form = PosterForm(request.GET)
    if not form.is_valid():
        return bad_request(form.first_error())
    source = poster_files.poster_target(request.user, section_slug, slug)
    if source is None:
        raise Http404("No such article")
    size, download = form.cleaned_data["size"], form.cleaned_data["download"]
    file = poster_files.poster_file(source, size)
    filename = f"{source.slug}-poster-{size}.pdf"
    return file_response(request, file, filename, download, source.live)


@require_safe
def short_link(request, code):
    """The link a QR code holds (an article's own, or a placement's): count one scan
    (`qr.scans`) and send the reader on; a retired placement's link still leads there.

    Editors who may preview are sent on to a draft without counting a scan. The redirect is
    never cached, so every scan reaches us.
    """
    article, placement = links.article_for_short_code(code), None
    if article is None:
        placement = links.placement_for_short_code(code)
        if placement is None:
            raise Http404("No such short link")
        article = placement.article  # a retired placement's paper still leads here
    if article.is_live:
        scans.record_scan(request, article, placement)
    elif not workflow.can_view(request.user, article):
        raise Http404("No such short link")
    response = HttpResponseRedirect(article.get_full_url())
    add_never_cache_headers(response)
    return response


def _target_or_404(request, section_slug, slug):
    # Live articles for all, drafts only for editors who may preview them.
    target = links.code_target(request.user, section_slug, slug)
    if target is None:
        raise Http404("No such article")
    return target


def bad_request(message):
    return HttpResponse(
        message + "\n", status=400, content_type="text/plain; charset=utf-8", charset="utf-8"
    )


def file_response(request, file, filename, download, public):
    """A code file with its strong ETag (304 when the client has it); `public` ones may be kept
    by shared caches for a day."""
    response = HttpResponse(file.content, content_type=file.content_type)
    response["ETag"] = file.etag
    response["Content-Disposition"] = content_disposition_header(download, filename)
    if public:
        patch_cache_control(response, public=True, max_age=PUBLIC_SECONDS)
    else:
        # A draft's code: for the editor only, never kept by shared caches.
        patch_cache_control(response, private=True, no_cache=True)
    return get_conditional_response(request, etag=file.etag, response=response)
