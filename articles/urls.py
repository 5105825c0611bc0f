from django.urls import path

from . import feeds
from .views import beacon, language, qr, reader
from .views import search as search_views

app_name = "articles"

urlpatterns = [
    path("", reader.home, name="home"),
    path("news/<slug:section_slug>/", reader.section_detail, name="section"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    # Before the article route: a section's feed wins over an article slugged "feed".
    path("news/<slug:section_slug>/feed/", feeds.SectionFeed(), name="section_feed"),
    path("search/", search_views.search, name="search"),
    path("news/<slug:section_slug>/<slug:slug>/", reader.article_detail, name="article"),
    path("preview/<int:pk>/", reader.article_preview, name="preview"),
    path("news/<slug:section_slug>/<slug:slug>/qr.svg", qr.qr_svg, name="qr_svg"),
    path("news/<slug:section_slug>/<slug:slug>/qr.png", qr.qr_png, name="qr_png"),
    path("s/<str:code>/", qr.short_link, name="short_link"),
    path("views/beacon/", beacon.count_view, name="view_beacon"),
    path("lang/<str:code>/", language.switch_language, name="switch_language"),
]
