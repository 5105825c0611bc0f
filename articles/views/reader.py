"""The reader's pages. Thin: queries are `ArticleQuerySet` methods, counting lives in
`readership`, codes in `qr`, cached parts in `articles.cached` and `core.pagecache`."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from articles import cached, workflow
from articles.models import Article
from articles.sections import section_tree
from core import pagecache
from core.pagination import page_number, paginate
from qr import codes
from readership import popular, visits


def page_seconds(due=None):
    """How long a list page may be served from the cache: its "most read" block is at most a
    minute old, and an article falling due shows at once (articles.cached.fragment_seconds)."""
    return min(cached.fragment_seconds(due), popular.MOST_READ_SECONDS)


def cached_render(request, page, template, context, timeout):
    """Serve `page` from the cache, or render `template` once and keep it for `timeout()`."""
    if page.page is None:
        page.render(request, template, context(), timeout())
    return HttpResponse(page.fill(csp_nonce=request.csp_nonce))


@require_safe
def home(request):
    """Rendered once per change and language, then served from the cache."""

    def context():
        tree = section_tree()
        latest = list(Article.objects.listed()[:13])
        featured = [a for a in latest if a.featured][:1] or latest[:1]
        featured_ids = {a.pk for a in featured}
        sections = [s for s in tree.by_id.values() if s.parent_id is not None] or tree.top_level
        grouped = Article.objects.latest_by_section([s.pk for s in sections])
        return {
            "featured": featured,
            "latest": [a for a in latest if a.pk not in featured_ids][:12],
            "section_blocks": [(s, grouped[s.pk]) for s in sections if grouped[s.pk]],
            "most_read": popular.most_read(),
            "page_path": "/",
        }

    page = pagecache.CachedPage("home")
    return cached_render(request, page, "articles/home.html", context, page_seconds)


@require_safe
def section_detail(request, section_slug):
    """Each page of a section, rendered once per change and language (as home)."""
    tree = section_tree()
    section = tree.by_slug.get(section_slug)
    if section is None:
        raise Http404("No such section")
    section_ids = tree.descendant_ids(section)
    # The live count is cached (articles.cached.SectionStats): the page number is settled from it
    # without a query, and the page's queryset is built only when the page is rendered.
    stats = cached.SectionStats(section_ids)
    counted = Paginator((), settings.NEWSROOM_PAGE_SIZE)
    counted.count = stats.count
    number = page_number(request, counted)

    def context():
        path = section.get_absolute_url()
        articles = Article.objects.listed().filter(section_id__in=section_ids)
        return {
            "section": section,
            "breadcrumbs": tree.ancestors(section),
            "subsections": tree.children(section),
            "page_obj": paginate(request, articles, count=stats.count),
            "most_read": popular.most_read(section_ids=section_ids),
            "page_path": path if number == 1 else f"{path}?page={number}",
        }

    page = pagecache.CachedPage("section", section.pk, number)
    return cached_render(
        request, page, "articles/section.html", context, lambda: page_seconds(stats.due)
    )


def _article_queryset():
    return (
        Article.objects.select_related("section", "cover", "author")
        .defer("search_vector")
        .with_neighbours()
    )


def _article_context(request, article, preview=False, **values):
    tree = section_tree()
    cached.article_translations(article)  # cached; fills the memo translations() reads
    short_url = article.get_short_url()
    return {
        "article": article,
        "section": article.section,
        "breadcrumbs": tree.ancestors(article.section),
        "preview": preview,
        "body_html": cached.article_body(article),
        "qr_svg": codes.svg(short_url),
        "short_url": short_url,
        "page_path": article.get_absolute_url(),
        **values,
    }


def render_preview(request, article):
    """The reader's page of any article, with the preview banner; counts no view."""
    views = visits.views_for_page(request, article.pk, article.views, preview=True)
    return render(
        request, "articles/article.html", _article_context(request, article, True, views=views)
    )


@require_safe
def article_detail(request, section_slug, slug):
    """A live article: rendered once per change and language, then served from the cache."""
    page = pagecache.CachedPage("article", section_slug, slug)
    if page.page is None:
        article = get_object_or_404(_article_queryset(), section__slug=section_slug, slug=slug)
        if not article.is_live:
            if workflow.can_view(request.user, article):
                return render_preview(request, article)
            raise Http404("No such article")
        context = _article_context(request, article)
        page.render(
            request, "articles/article.html", context, cached.fragment_seconds(), article.pk
        )
    # Counted here, before the page is filled in and sent: a cached page counts too.
    views = visits.views_for_page(request, page.page[0])
    return HttpResponse(page.fill(views=views, csp_nonce=request.csp_nonce))


@require_safe
def article_preview(request, pk):
    """Editors' preview: the reader's page, drafts included, with a banner; counts no view."""
    article = get_object_or_404(_article_queryset(), pk=pk)
    if not workflow.can_view(request.user, article):
        raise Http404("No such article")
    return render_preview(request, article)
