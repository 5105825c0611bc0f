"""RSS 2.0 and Atom feeds of live articles, for the whole site, per section and per tag.

Built on django.contrib.syndication. Every link is absolute from settings.SITE_URL:
syndication only prefixes the request's host to relative links, and we give it none.
Two queries per feed whatever its length (articles with section, cover and author;
tags prefetched), plus the cached section tree for section feeds; none at all while the
built feed is in the cache (until the next change or scheduled article, as pages).
"""

import mimetypes

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles import cached, listings, seo
from articles.models import Article
from articles.sections import section_tree
from core import pagecache
from core.site_url import absolute_url

FEED_ITEMS = 30


class NewsRss(Rss201rev2Feed):
    content_type = "application/rss+xml; charset=utf-8"


def feed_text(text):
    """Plain text for a feed element that readers may take as text or as HTML.

    feedparser reads titles, categories and authors as text; other readers render them as
    HTML. Escaping only "<" is safe for both: no tag can start, and "R&D" still reads "R&D"
    in a text reader. Summaries are HTML in RSS and Atom alike and are escaped whole.
    """
    return text.replace("<", "&lt;")


class LatestArticlesFeed(Feed):
    """The newest live articles of the site: /feed/."""

    feed_type = NewsRss
    feed_url_name = "articles:feed"

    def __call__(self, request, *args, **kwargs):
        """The feed, built once per change and language (core.pagecache): aggregators poll it
        all day, and each build reads the 30 items' cover files for their enclosure size."""
        response = pagecache.cached_response(
            ("feed", request.path, get_language()),
            lambda: super(LatestArticlesFeed, self).__call__(request, *args, **kwargs),
            cached.fragment_seconds,
        )
        # Not kept downstream past the next scheduled publish or unpublish either.
        response["Cache-Control"] = f"public, max-age={cached.fragment_seconds()}"
        return response

    # --- the feed -------------------------------------------------------------------
    def title(self, obj=None):
        return feed_text(settings.SITE_NAME)

    def description(self, obj=None):
        # HTML to readers, like item summaries: escaped whole.
        return escape(_("The latest news from %(site)s") % {"site": settings.SITE_NAME})

    def subtitle(self, obj=None):
        return self.description(obj)

    def link(self, obj=None):
        return absolute_url(reverse("articles:home"))

    def feed_url(self, obj=None):
        return absolute_url(reverse(self.feed_url_name))

    def feed_copyright(self, obj=None):
        return f"© {settings.SITE_NAME}"

    def base_queryset(self):
        """Live articles in the feed's language (its address's), one version of each story."""
        return (
            listings.in_language(Article.objects.live())
            .select_related("section", "cover", "author__author_profile")
            .prefetch_related("tags")
            .defer("body", "search_vector")
            .order_by("-published_at", "-id")
        )

    def items(self, obj=None):
        return self.base_queryset()[:FEED_ITEMS]

    # --- each item ------------------------------------------------------------------
    def item_title(self, item):
        return feed_text(item.title)

    def item_description(self, item):
        # RSS <description> and Atom <summary type="html"> are read as HTML; the summary is
        # plain text, so it goes in escaped (then XML-escaped by the feed generator).
        return escape(item.summary)

    def item_link(self, item):
        return item.get_full_url()

    def item_guid(self, item):
        return item.get_full_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_author_name(self, item):
        name = seo.author_name(item)
        return feed_text(name) if name else None

    def item_author_link(self, item):
        """The author's page, when the article is credited to a person who has one."""
        return seo.author(item).get("url")

    def item_categories(self, item):
        names = [item.section.name, *(tag.name for tag in item.tags.all())]
        return [feed_text(name) for name in names]

    def item_enclosures(self, item):
        url = seo.image_url(item.cover)
        if not url:
            return []
        try:
            length = item.cover.file.size
        except (OSError, ValueError):  # file gone from storage: still name the picture
            length = 0
        mime_type = mimetypes.guess_type(item.cover.file.name)[0] or "image/jpeg"
        return [Enclosure(url, str(length), mime_type)]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    """The same articles as Atom 1.0: /feed/atom/."""

    feed_type = Atom1Feed
    feed_url_name = "articles:feed_atom"


class SectionFeed(LatestArticlesFeed):
    """A section's live articles, its subsections' included: /news/<section>/feed/."""

    def get_object(self, request, section_slug):
        tree = section_tree()
        section = tree.by_slug.get(section_slug)
        if section is None:
            raise Http404("No such section")
        section.descendant_ids = tree.descendant_ids(section)
        return section

    def title(self, obj=None):
        return feed_text(f"{obj.name} · {settings.SITE_NAME}")

    def description(self, obj=None):
        return escape(
            obj.description or _("The latest news in %(section)s") % {"section": obj.name}
        )

    def link(self, obj=None):
        return absolute_url(obj.get_absolute_url())

    def feed_url(self, obj=None):
        return absolute_url(reverse("articles:section_feed", args=[obj.slug]))

    def items(self, obj=None):
        return self.base_queryset().filter(section_id__in=obj.descendant_ids)[:FEED_ITEMS]


class TagFeed(LatestArticlesFeed):
    """The live articles carrying one tag: /tags/<tag>/feed/."""

    def get_object(self, request, tag_slug):
        tag = listings.tag_listing(tag_slug)
        if tag is None:
            raise Http404("No such tag")
        return tag

    def title(self, obj=None):
        return feed_text(f"{obj.name} · {settings.SITE_NAME}")

    def description(self, obj=None):
        return escape(_("Articles tagged “%(tag)s”") % {"tag": obj.name})

    def link(self, obj=None):
        return absolute_url(reverse("articles:tag", args=[obj.slug]))

    def feed_url(self, obj=None):
        return absolute_url(reverse("articles:tag_feed", args=[obj.slug]))

    def items(self, obj=None):
        return self.base_queryset().filter(tags__pk=obj.pk)[:FEED_ITEMS]
