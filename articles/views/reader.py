"""The reader's pages: each rendered once per change and language, then served from the cache
(`core.pagecache.CachedPage`). What a page shows comes from `articles.listings` and the
`ArticleQuerySet`, the view count from `readership`, the code from `qr`."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from articles import cached, listings, workflow
from articles.models import Article
from articles.sections import section_tree
from core.pagecache import CachedPage
from core.pagination import page_number, paginate
from qr import codes
from readership import popular, visits


def list_page_seconds(next_due=None):
    """How long a list page may be kept: until an article falls due (`cached.fragment_seconds`),
    and no longer than its "most read" block may be old."""
    return min(cached.fragment_seconds(next_due), popular.MOST_READ_SECONDS)


@require_safe
def home(request):
    page = CachedPage("home")
    if page.is_missing:
        context = {**listings.front_page(), "most_read": popular.most_read(), "page_path": "/"}
        page.render(request, "articles/home.html", context, list_page_seconds())
    return page.response(request)


@require_safe
def section_detail(request, section_slug):
    listing = listings.section_listing(section_slug)
    if listing is None:
        raise Http404("No such section")
    number = page_number(request, listing.stats.live_count)
    page = CachedPage("section", listing.section.pk, number)
    if page.is_missing:
        context = {
            **listing.context(number),
            "page_obj": paginate(request, listing.articles(), count=listing.stats.live_count),
            "most_read": popular.most_read(section_ids=listing.section_ids),
        }
        page.render(
            request, "articles/section.html", context, list_page_seconds(listing.stats.next_due)
        )
    return page.response(request)


@require_safe
def article_detail(request, section_slug, slug):
    """A live article; drafts and scheduled ones only as a preview for those who may see them."""
    page = CachedPage("article", section_slug, slug)
    if page.is_missing:
        article = get_object_or_404(
            Article.objects.for_article_page(), section__slug=section_slug, slug=slug
        )
        if not article.is_live:
            return preview_or_404(request, article)
        context = article_context(article)
        page.render(
            request,
            "articles/article.html",
            context,
            cached.fragment_seconds(),
            object_id=article.pk,
        )
    views = visits.views_for_page(request, page.object_id)  # counts this view, cached or not
    return page.response(request, views=views)


@require_safe
def article_preview(request, pk):
    """Editors' preview: the reader's page, drafts included, with a banner; counts no view."""
    return preview_or_404(request, get_object_or_404(Article.objects.for_article_page(), pk=pk))


def preview_or_404(request, article):
    """The reader's page of any article with the preview banner, for those who may see it;
    counts no view."""
    if not workflow.can_view(request.user, article):
        raise Http404("No such article")
    views = visits.views_for_page(request, article.pk, article.views, preview=True)
    context = article_context(article, preview=True, views=views)
    return render(request, "articles/article.html", context)


def article_context(article, preview=False, **values):
    cached.article_translations(article)  # cached; fills the memo translations() reads
    short_url = article.get_short_url()
    return {
        "article": article,
        "section": article.section,
        "breadcrumbs": section_tree().ancestors(article.section),
        "preview": preview,
        "body_html": cached.article_body(article),
        "qr_svg": codes.svg(short_url),
        "short_url": short_url,
        "page_path": article.get_absolute_url(),
        **values,
    }
