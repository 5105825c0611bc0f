"""The Content API: read-only JSON of live articles for apps, mini-programs and partners.

Mounted at /api/v1/ (newsroom/urls.py). Built on django-ninja: the handlers take
typed parameters and return dicts checked against the pydantic models in
`api_schemas.py`, from which the OpenAPI schema (/api/v1/openapi.json) and the
browsable docs (/api/v1/docs, Swagger UI served from ninja's own static files)
are generated.

Around every operation, `ContentAPI` adds what a public read API needs and ninja
leaves to the project: strong ETags and 304s, CDN-friendly Cache-Control, CORS
for GET from NEWSROOM_API_CORS_ORIGINS only, JSON 400s (not 422s) for bad input,
a JSON 404 for unknown API paths and a per-client rate limit (429 + Retry-After).

Only live articles are ever read here (`Article.objects.live()`), and reading
counts no view: apps report views with POST /articles/{id}/view.
"""

import functools
import hashlib
import math
import re
import threading
import time
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, Window
from django.http import HttpResponse, JsonResponse
from django.urls import URLPattern, re_path
from django.utils import timezone
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    quote_etag,
)
from django.utils.http import parse_http_date_safe
from ninja import NinjaAPI, Path, Query
from ninja.errors import HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.throttling import BaseThrottle
from taggit.models import TaggedItem

from api import schemas as s
from articles.models import Article
from articles.sections import section_tree
from core import pagecache
from core.site_url import absolute_url
from media import images
from readership import counts, visits
from search import engine

# --- Rate limits ----------------------------------------------------------------------


class ClientRateThrottle(BaseThrottle):
    """A fixed-window counter per client and scope: one cache `incr` per request.

    The rate comes from a setting such as "600/min" (read on every request, so it can
    be changed in tests); empty, "0" or "off" turns the limit off. Clients are told
    apart by REMOTE_ADDR, or by X-Forwarded-For when NINJA_NUM_PROXIES says how many
    proxies to trust (never by a header a client could simply make up).
    """

    PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400}

    def __init__(self, scope, setting):
        self.scope = scope
        self.setting = setting
        self._local = threading.local()

    def parse_rate(self):
        rate = str(getattr(settings, self.setting, "") or "").strip().lower()
        if rate in ("", "0", "off", "none"):
            return None
        count, _, period = rate.partition("/")
        return int(count), self.PERIODS[period or "s"]

    def get_ident(self, request):
        from ninja.conf import settings as ninja_settings

        if ninja_settings.NUM_PROXIES is None:
            return request.META.get("REMOTE_ADDR", "")
        return super().get_ident(request)

    def allow_request(self, request):
        rate = self.parse_rate()
        if rate is None:
            return True
        limit, period = rate
        now = time.time()
        window = int(now // period)
        ident = hashlib.blake2b(str(self.get_ident(request)).encode(), digest_size=12).hexdigest()
        key = f"newsroom:api-rate:{self.scope}:{ident}:{window}"
        cache.add(key, 0, period + 1)
        try:
            used = cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, period + 1)
            used = 1
        self._local.wait = period - (now - window * period)
        return used <= limit

    def wait(self):
        return max(1, math.ceil(getattr(self._local, "wait", 1)))


read_throttle = ClientRateThrottle("read", "NEWSROOM_API_RATE")
view_throttle = ClientRateThrottle("view", "NEWSROOM_API_VIEW_RATE")


# --- The API object: conditional GET, caching, CORS, JSON errors -------------------------

CORS_ALLOWED_HEADERS = {
    "accept",
    "accept-language",
    "content-language",
    "if-none-match",
    "if-modified-since",
    "cache-control",
}
CORS_EXPOSED_HEADERS = "ETag, Retry-After"
SAFE_METHODS = ("GET", "HEAD")


def _cors_origin(request):
    """The value for Access-Control-Allow-Origin, or None when the origin is not allowed."""
    origin = request.headers.get("Origin")
    allowed = settings.NEWSROOM_API_CORS_ORIGINS
    if not origin or not allowed:
        return None
    if "*" in allowed:
        return "*"
    return origin if origin in allowed else None


def _allowed_methods(view, request):
    """The methods a path answers: ninja's 405 for OPTIONS lists its operations'."""
    request.method = "OPTIONS"
    probe = view(request)
    if probe.status_code != 405 or not probe.has_header("Allow"):
        return "GET, HEAD, OPTIONS"
    return _with_implicit_methods(probe["Allow"])


def _with_implicit_methods(allow):
    methods = {m.strip().upper() for m in allow.split(",") if m.strip()}
    if "GET" in methods:
        methods.add("HEAD")
    methods.add("OPTIONS")
    order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    return ", ".join(sorted(methods, key=lambda m: order.index(m) if m in order else 99))


def _preflight(request, allow):
    response = HttpResponse(status=204)
    response["Allow"] = allow
    origin = _cors_origin(request)
    method = request.headers.get("Access-Control-Request-Method", "")
    asked = {
        h.strip().lower()
        for h in request.headers.get("Access-Control-Request-Headers", "").split(",")
        if h.strip()
    }
    if origin and method in SAFE_METHODS and "GET" in allow and asked <= CORS_ALLOWED_HEADERS:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = "GET, HEAD"
        if asked:
            response["Access-Control-Allow-Headers"] = ", ".join(sorted(asked))
        response["Access-Control-Max-Age"] = "86400"
    if origin != "*":
        patch_vary_headers(response, ["Origin"])
    return response


def _finish_read(request, response):
    """ETag, Cache-Control and a 304 when the client already has this representation."""
    if response.status_code == 200 and not response.streaming:
        if not response.has_header("ETag"):
            digest = hashlib.blake2b(response.content, digest_size=16).hexdigest()
            response["ETag"] = quote_etag(digest)
        if not response.has_header("Cache-Control"):
            seconds = settings.NEWSROOM_CACHE_SECONDS
            patch_cache_control(
                response,
                public=True,
                max_age=seconds,
                stale_while_revalidate=seconds,
                stale_if_error=max(seconds, 600),
            )
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        response = get_conditional_response(
            request, etag=response["ETag"], last_modified=last_modified, response=response
        )
    elif response.status_code == 429:
        response["Cache-Control"] = "no-store"
    origin = _cors_origin(request)
    if origin:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Expose-Headers"] = CORS_EXPOSED_HEADERS
    if origin != "*":
        patch_vary_headers(response, ["Origin"])
    return response


def _api_view(view):
    """Wrap one of ninja's URL views with the HTTP semantics of a public, cacheable API."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            allow = _allowed_methods(view, request)
            request.method = "OPTIONS"
            return _preflight(request, allow)
        head = request.method == "HEAD"
        if head:  # answered like GET, without the body
            request.method = "GET"
        try:
            response = view(request, *args, **kwargs)
        finally:
            if head:
                request.method = "HEAD"
        if request.method in SAFE_METHODS:
            response = _finish_read(request, response)
        elif response.status_code == 405 and response.has_header("Allow"):
            response["Allow"] = _with_implicit_methods(response["Allow"])
        if head and not response.streaming:
            response.content = b""
        return response

    return wrapper


def not_found(request, *args, **kwargs):
    return JsonResponse({"detail": "Not Found", "errors": []}, status=404)


class ContentAPI(NinjaAPI):
    def _get_urls(self):
        patterns = [
            URLPattern(p.pattern, _api_view(p.callback), p.default_args, p.name)
            for p in super()._get_urls()
        ]
        # Anything else under /api/v1/ is a JSON 404, not the site's HTML page.
        patterns.append(re_path(r"^.*$", _api_view(not_found), name="not-found"))
        return patterns


api = ContentAPI(
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
    throttle=[read_throttle],
)


def _bad_request(request, exc, api=api):
    errors = [
        {
            "loc": [str(x) if not isinstance(x, int) else x for x in e.get("loc", ())],
            "msg": e["msg"],
        }
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": "Invalid input.", "errors": errors}, status=400)


api.add_exception_handler(ValidationError, _bad_request)


# --- Building the JSON ------------------------------------------------------------------

_RELATIVE_URL = re.compile(r'(\s(?:src|href)=")/(?!/)')


def absolute_body(html):
    """Apps have no base URL: point the body's relative links and images at the site."""
    return _RELATIVE_URL.sub(lambda m: m.group(1) + settings.SITE_URL + "/", html)


def image_json(image):
    if image is None or not image.file:
        return None
    return {
        "url": absolute_url(image.file.url),
        "width": image.width,
        "height": image.height,
        "alt_text": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "renditions": images.rendition_list(image),
    }


def section_ref(section):
    return {
        "id": section.pk,
        "name": section.name,
        "slug": section.slug,
        "url": absolute_url(section.get_absolute_url()),
    }


def tags_json(article):
    tags = getattr(article, "tag_list", None)
    if tags is None:
        tags = [{"name": t.name, "slug": t.slug} for t in article.tags.all()]
    return sorted(tags, key=lambda t: t["name"])


def attach_tags(articles):
    """Give each article its tags as `tag_list` ({name, slug} dicts), in one query.

    Why not prefetch_related("tags"): taggit builds a queryset per article while
    prefetching, which was 40 % of a list page's time.
    """
    by_id = {article.pk: [] for article in articles}
    if by_id:
        rows = TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Article), object_id__in=by_id
        ).values_list("object_id", "tag__name", "tag__slug")
        for object_id, name, slug in rows:
            by_id[object_id].append({"name": name, "slug": slug})
    for article in articles:
        article.tag_list = by_id[article.pk]


FIELD_BUILDERS = {
    "id": lambda a: a.pk,
    "title": lambda a: a.title,
    "slug": lambda a: a.slug,
    "section": lambda a: section_ref(a.section),
    "language": lambda a: a.language,
    "summary": lambda a: a.summary,
    "cover": lambda a: image_json(a.cover),
    "byline": lambda a: a.byline,
    "published_at": lambda a: a.published_at,
    "updated_at": lambda a: a.updated_at,
    "featured": lambda a: a.featured,
    "views": lambda a: a.views,
    "tags": tags_json,
    "url": lambda a: a.get_full_url(),
    "short_url": lambda a: a.get_short_url(),
}


def article_json(article, fields=s.LIST_FIELDS):
    return {name: FIELD_BUILDERS[name](article) for name in fields}


def article_detail_json(article):
    data = article_json(article)
    # With the Redis counting backend, add the views still waiting to be flushed.
    data["views"] = counts.current_views(article.pk, article.views)
    data["translation_of"] = article.translation_of_id
    data["body"] = absolute_body(article.body)
    return data


def _last_modified(response, moments):
    moments = [m for m in moments if m is not None]
    if moments:
        response["Last-Modified"] = _http_date(max(moments))


def _http_date(moment):
    from django.utils.http import http_date

    return http_date(moment.timestamp())


# --- Query helpers ----------------------------------------------------------------------

EARLIEST = datetime(1000, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def _moment(value):
    """An aware, range-safe datetime: naive times are in TIME_ZONE; extremes are clamped."""
    if timezone.is_naive(value):
        try:
            value = timezone.make_aware(value)
        except (OverflowError, ValueError):
            return EARLIEST if value.year < 5000 else LATEST
    try:
        value = value.astimezone(UTC)
    except (OverflowError, ValueError):
        return EARLIEST if value.year < 5000 else LATEST
    return min(max(value, EARLIEST), LATEST)


def parse_fields(value):
    if not value:
        return s.LIST_FIELDS
    asked = [f.strip() for f in value.split(",") if f.strip()]
    unknown = [f for f in asked if f not in s.LIST_FIELDS]
    if unknown:
        raise BadInput(
            f"Unknown field(s): {', '.join(unknown[:5])[:200]}. "
            f"Choose from: {', '.join(s.LIST_FIELDS)}.",
            loc=["query", "fields"],
        )
    return tuple(f for f in s.LIST_FIELDS if f == "id" or f in asked)


class BadInput(HttpError):
    def __init__(self, message, loc=None):
        super().__init__(400, message)
        self.loc = loc


def _bad_input(request, exc, api=api):
    errors = [{"loc": exc.loc, "msg": exc.message}] if exc.loc else []
    return api.create_response(request, {"detail": exc.message, "errors": errors}, status=400)


api.add_exception_handler(BadInput, _bad_input)

ERRORS = {400: s.Error, 404: s.Error, 429: s.Error}
LIST_PARAMS = set(s.ArticleFilters.model_fields)


def _reject_unknown_params(request, allowed):
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise BadInput(
            f"Unknown parameter(s): {', '.join(unknown[:5])[:200]}. "
            f"Allowed: {', '.join(sorted(allowed))}.",
            loc=["query", unknown[0][:100]],
        )


def _page_url(request, page):
    query = request.GET.copy()
    query["page"] = page
    return f"{settings.SITE_URL}{request.path}?{urlencode(sorted(query.items()))}"


# --- Operations -------------------------------------------------------------------------


@api.get(
    "/sections",
    response={200: list[s.SectionNode], **ERRORS},
    summary="The section tree",
    tags=["sections"],
)
def list_sections(request):
    """Every section, top level first, each with its sub-sections in `children`."""
    _reject_unknown_params(request, set())
    tree = section_tree()

    def node(section):
        return {
            "id": section.pk,
            "name": section.name,
            "slug": section.slug,
            "description": section.description,
            "position": section.position,
            "parent_id": section.parent_id,
            "url": absolute_url(section.get_absolute_url()),
            "children": [node(child) for child in tree.children(section)],
        }

    return [node(section) for section in tree.top_level]


@api.get(
    "/articles",
    response={200: s.ArticlePage, **ERRORS},
    summary="Live articles, newest first",
    tags=["articles"],
    exclude_unset=True,
)
def list_articles(request, filters: Query[s.ArticleFilters]):
    """Newest first; with `q`, best match first. Filters combine with AND.
    To walk further back than the last page, filter with
    `published_before` set to the oldest `published_at` you have."""
    _reject_unknown_params(request, LIST_PARAMS)
    f = filters
    section, tag, language, q = f.section, f.tag, f.language, f.q
    page, page_size = f.page, f.page_size
    wanted = parse_fields(f.fields)
    query = engine.clean_query(q) if q else ""
    if query:  # the reader's search: same matching and ranking as /search/
        queryset = engine.search(query).defer("body", "search_vector", "translation_of")
    else:
        queryset = Article.objects.live().defer("body", "search_vector", "translation_of")
        queryset = queryset.order_by("-published_at", "-id")
    related = [
        f for f in ("section", "cover") if f in wanted or (f == "section" and "url" in wanted)
    ]
    if related:
        queryset = queryset.select_related(*related)
    if section:
        tree = section_tree()
        found = tree.by_slug.get(section)
        if found is None:
            raise HttpError(404, f"No such section: {section}")
        queryset = queryset.filter(section_id__in=tree.descendant_ids(found))
    if tag:
        queryset = queryset.filter(tags__slug=tag)
    if language:
        queryset = queryset.filter(language=language)
    if f.featured is not None:
        queryset = queryset.filter(featured=f.featured)
    if f.published_after is not None:
        queryset = queryset.filter(published_at__gte=_moment(f.published_after))
    if f.published_before is not None:
        queryset = queryset.filter(published_at__lt=_moment(f.published_before))
    offset = (page - 1) * page_size
    # The total is counted once per change of the site and set of filters (caching.py), riding
    # on the page's own query (COUNT(*) OVER ()); later pages are plain LIMIT queries, so a
    # request's cost does not grow with the site. A scheduled article falling due shows in
    # `results` at once and in `count` within NEWSROOM_CACHE_SECONDS.
    filters_key = (section, tag, language, f.featured, f.published_after, f.published_before)
    count_key = pagecache.fragment_key(("api-count", *filters_key, query))
    generation, count = pagecache.fetch(count_key)
    if count is None:
        rows = list(queryset.annotate(total=Window(Count("id")))[offset : offset + page_size])
        count = rows[0].total if rows else (queryset.count() if page > 1 else 0)
        pagecache.store(count_key, generation, count, pagecache.cache_seconds())
    else:
        rows = list(queryset[offset : offset + page_size])
    if "tags" in wanted:
        attach_tags(rows)
    pages = math.ceil(count / page_size)
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "pages": pages,
        "next": _page_url(request, page + 1) if page < min(pages, s.MAX_PAGE) else None,
        "previous": _page_url(request, min(page - 1, pages)) if page > 1 and pages else None,
        "results": [article_json(article, wanted) for article in rows],
    }


def _detail_queryset():
    return (
        Article.objects.live()
        .select_related("section", "cover")
        .prefetch_related("tags")
        .defer("search_vector")
    )


def _detail(response, article):
    _last_modified(response, [article.updated_at])
    return article_detail_json(article)


@api.get(
    "/articles/{article_id}",
    response={200: s.ArticleDetail, **ERRORS},
    summary="One article by id",
    tags=["articles"],
)
def get_article(request, response: HttpResponse, article_id: int = Path(..., ge=1, le=s.ID_MAX)):
    """The full article: sanitised body HTML, cover with renditions, canonical and QR links."""
    _reject_unknown_params(request, set())
    article = _detail_queryset().filter(pk=article_id).first()
    if article is None:
        raise HttpError(404, "No such article")
    return _detail(response, article)


@api.get(
    "/sections/{section_slug}/articles/{slug}",
    response={200: s.ArticleDetail, **ERRORS},
    summary="One article by section and slug",
    tags=["articles"],
)
def get_article_by_path(
    request,
    response: HttpResponse,
    section_slug: str = Path(..., max_length=100, pattern=s.SLUG_PATTERN),
    slug: str = Path(..., max_length=200, pattern=s.SLUG_PATTERN),
):
    """The same as by id, found the way the site's URL /news/<section>/<slug>/ finds it."""
    _reject_unknown_params(request, set())
    article = _detail_queryset().filter(section__slug=section_slug, slug=slug).first()
    if article is None:
        raise HttpError(404, "No such article")
    return _detail(response, article)


@api.post(
    "/articles/{article_id}/view",
    response={200: s.ViewReport, **ERRORS},
    summary="Report that a reader opened the article",
    tags=["articles"],
    throttle=[view_throttle],
)
def report_view(request, article_id: int = Path(..., ge=1, le=s.ID_MAX)):
    """For apps that show an article they fetched from this API. Counted by the same rules
    as a page view on the site (bots are not counted); no body and no cookie needed."""
    article = Article.objects.live().filter(pk=article_id).only("id", "views").first()
    if article is None:
        raise HttpError(404, "No such article")
    if not counts.should_count(request, method_ok=True):
        return {"counted": False, "views": counts.current_views(article.pk, article.views)}
    total, counted = visits.count_once(request, article.pk, article.views)
    return {"counted": counted, "views": article.views if total is None else total}
