"""The API's operations: each reads its parameters, asks the domain, returns the JSON.

Only live articles are ever read here (`Article.objects.live()`), and reading counts no view:
apps report views with POST /articles/{id}/view.
"""

from django.http import HttpResponse
from django.utils.http import http_date
from ninja import Path, Query, Router
from ninja.errors import HttpError

from api import conditional, listing, params, representation, schemas
from api.throttling import ViewReportThrottle
from articles import cached
from articles.models import Article
from articles.sections import section_tree
from readership import visits
from search import engine

router = Router()
ERRORS = {400: schemas.Error, 404: schemas.Error, 429: schemas.Error}


def read(path, **options):
    """Register a GET operation that answers HEAD too (the middleware drops HEAD's body).

    HEAD stays out of the schema, where it would repeat GET's operation id.
    """

    def register(view):
        router.api_operation(["HEAD"], path, include_in_schema=False, **options)(view)
        return router.get(path, **options)(view)

    return register


@read(
    "/",
    response={200: schemas.ApiIndex, **ERRORS},
    summary="The API's index: schema, docs and collections",
    tags=["index"],
)
def index(request):
    """Links to the OpenAPI schema, the docs and every collection, so a client starts here."""
    params.reject_unknown(request)
    return representation.index_json()


@read(
    "/sections",
    response={200: list[schemas.SectionNode], **ERRORS},
    summary="The section tree",
    tags=["sections"],
)
def list_sections(request):
    """Every section, top level first, each with its sub-sections in `children`."""
    params.reject_unknown(request)
    return representation.section_tree_json(section_tree())


@read(
    "/articles",
    response={200: schemas.ArticlePage, **ERRORS},
    summary="Live articles, newest first",
    tags=["articles"],
    exclude_unset=True,
)
def list_articles(request, response: HttpResponse, filters: Query[schemas.ArticleFilters]):
    """Newest first; with `q`, best match first. Filters combine with AND.
    To walk further back than the last page, filter with
    `published_before` set to the oldest `published_at` you have."""
    params.reject_unknown(request, params.LIST_PARAMS)
    fields = params.parse_fields(filters.fields)
    query = engine.clean_query(filters.q) if filters.q else ""
    articles = listing.filtered_articles(filters, query, fields)
    page = listing.counted_page(articles, filters, query)
    # Not kept downstream past the next article going live or leaving the site.
    response["Cache-Control"] = conditional.cache_control_until(cached.next_due())
    if "tags" in fields:
        representation.attach_tags(page.rows)
    return representation.article_page_json(request, page, fields)


@read(
    "/articles/{article_id}",
    response={200: schemas.ArticleDetail, **ERRORS},
    summary="One article by id",
    tags=["articles"],
)
def get_article(
    request, response: HttpResponse, article_id: int = Path(..., ge=1, le=schemas.ID_MAX)
):
    """The full article: sanitised body HTML, cover with renditions, canonical and QR links."""
    params.reject_unknown(request)
    article = listing.articles_for_detail().filter(pk=article_id).first()
    return _article_detail(response, article)


@read(
    "/sections/{section_slug}/articles/{slug}",
    response={200: schemas.ArticleDetail, **ERRORS},
    summary="One article by section and slug",
    tags=["articles"],
)
def get_article_by_path(
    request,
    response: HttpResponse,
    section_slug: str = Path(..., max_length=100, pattern=schemas.SLUG_PATTERN),
    slug: str = Path(..., max_length=200, pattern=schemas.SLUG_PATTERN),
):
    """The same as by id, found the way the site's URL /news/<section>/<slug>/ finds it."""
    params.reject_unknown(request)
    article = listing.articles_for_detail().filter(section__slug=section_slug, slug=slug).first()
    return _article_detail(response, article)


def _article_detail(response, article):
    if article is None:
        raise HttpError(404, "No such article")
    response["Last-Modified"] = http_date(article.updated_at.timestamp())
    response["Cache-Control"] = conditional.cache_control_until(article.expires_at)
    return representation.article_detail_json(article)


@router.post(
    "/articles/{article_id}/view",
    response={200: schemas.ViewReport, **ERRORS},
    summary="Report that a reader opened the article",
    tags=["articles"],
    throttle=[ViewReportThrottle()],
)
def report_view(request, article_id: int = Path(..., ge=1, le=schemas.ID_MAX)):
    """For apps that show an article they fetched from this API. Counted by the same rules
    as a page view on the site (bots are not counted); no body and no cookie needed."""
    article = Article.objects.live().filter(pk=article_id).only("id", "views").first()
    if article is None:
        raise HttpError(404, "No such article")
    reported = visits.report_view(request, article.pk, article.views)
    return {"counted": reported.counted, "views": reported.views}
