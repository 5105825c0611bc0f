"""The reader's pages: each rendered once per change and language, then served from the cache
(`core.pagecache.CachedPage`). What a page shows comes from `articles.listings` and the
`ArticleQuerySet`, the view count from `readership`, the code from `qr`."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from articles import cached, listings, workflow
from articles.sections import section_tree
from core.pagecache import CachedPage
from core.pagination import page_number, paginate
from qr import codes
from readership import beacon, popular, visits


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
    return shareable(request, page.response(request), list_page_seconds)


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
    return shareable(
        request, page.response(request), lambda: list_page_seconds(listing.stats.next_due)
    )


@require_safe
def tag_detail(request, tag_slug):
    """A tag's live articles, paged as a section's; a tag no live article carries is a 404."""
    tag = listings.tag_listing(tag_slug)
    if tag is None:
        raise Http404("No such tag")
    number = page_number(request, tag.listing.live_count)
    page = CachedPage("tag", tag.pk, number)
    if page.is_missing:
        path = reverse("articles:tag", args=[tag.slug])
        context = {
            "tag": tag,
            "page_obj": paginate(request, tag.listing.articles(), count=tag.listing.live_count),
            "page_path": path if number == 1 else f"{path}?page={number}",
        }
        page.render(request, "articles/tag.html", context, list_page_seconds())
    return shareable(request, page.response(request), list_page_seconds)


@require_safe
def article_detail(request, section_slug, slug):
    """A live article; drafts and scheduled ones only as a preview for those who may see them.

    An article has one address, in its own language: at another language's (an old link from
    before addresses had languages) it is a permanent redirect there."""
    # The counting mode is part of the key: only beacon-mode pages carry the beacon's script.
    page = CachedPage("article", section_slug, slug, beacon.is_on())
    if page.is_missing:
        article = get_object_or_404(
            listings.for_article_page(get_language()), section__slug=section_slug, slug=slug
        )
        if not article.is_live:
            return preview_or_404(request, article)
        if article.language != get_language():
            return HttpResponsePermanentRedirect(article.get_absolute_url())
        context = article_context(article)
        page.render(
            request,
            "articles/article.html",
            context,
            cached.fragment_seconds(),
            object_id=article.pk,
        )
    views = visits.views_for_page(request, page.object_id)  # counts this view, cached or not
    return shareable(request, page.response(request, views=views), cached.fragment_seconds)


def shareable(request, response, seconds):
    """In beacon mode a signed-out reader's page is everyone's: a shared cache (nginx, a CDN)
    may keep it for `seconds()`, as long as the page cache itself would (README "Production")."""
    if beacon.page_may_be_shared(request):
        patch_cache_control(response, public=True, max_age=0, s_maxage=seconds())
    return response


@require_safe
def article_preview(request, pk):
    """Editors' preview: the reader's page, drafts included, with a banner; counts no view."""
    articles = listings.for_article_page(get_language())
    return preview_or_404(request, get_object_or_404(articles, pk=pk))


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
        "is_article_page": True,  # the language switcher links to its translations
        "body_html": cached.article_body(article),
        "qr_svg": codes.svg(short_url),
        "short_url": short_url,
        "page_path": article.get_absolute_url(),
        **values,
    }
