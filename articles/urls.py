"""The reader's pages: home, sections, tags, articles, feeds, previews and the language switch."""

from django.urls import path, register_converter
from django.urls.converters import StringConverter

from articles import feeds
from articles.views import language, reader

app_name = "articles"


class TagSlugConverter(StringConverter):
    """A tag's slug: any characters but a slash, so Chinese tags ("论坛") route, and no control
    characters, which no slug holds (PostgreSQL refuses a NUL in a query: a 404, not a 500)."""

    regex = r"[^/\x00-\x1f\x7f]+"


register_converter(TagSlugConverter, "tag")

urlpatterns = [
    path("", reader.home, name="home"),
    path("news/<slug:section_slug>/", reader.section_detail, name="section"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    # Before the article route: a section's feed wins over an article slugged "feed".
    path("news/<slug:section_slug>/feed/", feeds.SectionFeed(), name="section_feed"),
    path("news/<slug:section_slug>/<slug:slug>/", reader.article_detail, name="article"),
    # A slash never matches, so feed/ routes apart.
    path("tags/<tag:tag_slug>/", reader.tag_detail, name="tag"),
    path("tags/<tag:tag_slug>/feed/", feeds.TagFeed(), name="tag_feed"),
    path("preview/<int:pk>/", reader.article_preview, name="preview"),
    path("lang/<str:code>/", language.switch_language, name="switch_language"),
]
