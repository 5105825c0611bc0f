"""NEWSROOM_VIEW_COUNTING=beacon: the article page counts itself with a same-origin POST.

For sites whose article HTML is served by a CDN or a full-page cache, where the server never
sees the reader's GET. `static/js/beacon.js` posts the page's signed token here once the page
is visible (not while prerendered); the token names one article, so the endpoint cannot be
used to inflate another. The same rules as a server-side view apply (bots, prefetch, staff,
the repeat-visit cookie), plus a per-cookie rate limit. The reply carries the total including
this view, which the script writes into the page's "Views: N".
"""

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.http import Http404, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from articles.models import Article
from readership import counts, visits


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _same_origin(request):
    """Refuse cross-site posts: by Sec-Fetch-Site when sent, else by Origin (against SITE_URL)."""
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.META.get("HTTP_ORIGIN")
    if origin is None:
        return True  # old browsers send neither on same-origin requests
    allowed = {_origin(settings.SITE_URL), *map(_origin, settings.CSRF_TRUSTED_ORIGINS)}
    return origin.lower() in allowed


def _error(message, status):
    return JsonResponse({"error": message}, status=status)


@csrf_exempt  # a cached page carries no CSRF token; the signed token and origin check stand in
@never_cache
@require_POST
def count_view(request):
    if not visits.beacon_mode():
        raise Http404("View beacons are off (NEWSROOM_VIEW_COUNTING=server)")
    if not _same_origin(request):
        return _error("cross-site beacon refused", 403)
    seen = visits.seen_for(request)
    if not seen.take_beacon(int(time.time())):
        response = _error("too many beacons, slow down", 429)
        response["Retry-After"] = "60"
        return response
    try:
        article_id = visits.article_from_token(request.POST.get("t", ""))
    except signing.BadSignature:
        return _error("bad token", 400)
    db_total = Article.objects.live().filter(pk=article_id).values_list("views", flat=True).first()
    if db_total is None:
        raise Http404("No such article")
    if counts.should_count(request, method_ok=True):
        total, counted = visits.count_once(request, article_id, db_total)
    else:
        total, counted = counts.current_views(article_id, db_total), False
    return JsonResponse({"views": total if total is not None else db_total, "counted": counted})
