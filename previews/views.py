"""The page a preview link opens: the current draft as readers would see it, for anyone
holding the link, never indexed, never kept by a shared cache, never counted."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from articles import listings
from articles.models import Article
from articles.views.reader import article_context
from previews.links import active_link


@require_safe
def preview(request, token):
    """Tampered, expired or revoked: 404. Published since: the public page."""
    link = active_link(token)
    if link is None:
        raise Http404("No such preview")
    # The page speaks the article's language, and previous/next are its readers' neighbours.
    language = Article.objects.filter(pk=link.article_id).values_list("language", flat=True)
    language = language.first()
    if language is None:
        raise Http404("No such preview")
    article = get_object_or_404(listings.for_article_page(language), pk=link.article_id)
    if article.is_live:
        return redirect(article.get_absolute_url())
    # No call to readership: a preview is no reader's view (and the page has no beacon).
    with translation.override(language):
        context = article_context(article, preview=True, views=article.views)
        response = render(request, "previews/article.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True, no_store=True)
    return response
