"""An author's live articles as RSS: /authors/<slug>/feed/ (built and cached as the site's)."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from articles.feeds import FEED_ITEMS, LatestArticlesFeed, feed_text
from core.site_url import absolute_url
from people.models import Author


class AuthorFeed(LatestArticlesFeed):
    """The live articles of one author; an unknown slug is a 404."""

    def get_object(self, request, author_slug):
        return get_object_or_404(Author, slug=author_slug)

    def title(self, obj=None):
        return feed_text(f"{obj.name} · {settings.SITE_NAME}")

    def description(self, obj=None):
        return escape(_("Articles by %(name)s") % {"name": obj.name})

    def link(self, obj=None):
        return absolute_url(obj.get_absolute_url())

    def feed_url(self, obj=None):
        return absolute_url(reverse("people:author_feed", args=[obj.slug]))

    def items(self, obj=None):
        return self.base_queryset().filter(author_id=obj.user_id)[:FEED_ITEMS]
