"""Root URLs: the admin at NEWSROOM_ADMIN_PATH, language switching, and the site."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from articles import sitemaps
from media.views import serve_media

urlpatterns = [
    path(settings.NEWSROOM_ADMIN_PATH, admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap_section"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("api/v1/", include("api.urls")),
    path("", include("search.urls")),
    path("", include("qr.urls")),
    path("", include("readership.urls")),
    path("", include("articles.urls")),
]

if settings.NEWSROOM_SERVE_MEDIA:
    # Local media for single-machine installs; behind nginx or S3, turn this off (README).
    prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(
        re_path(rf"^{prefix}(?P<path>.*)$", serve_media, {"document_root": settings.MEDIA_ROOT})
    )
