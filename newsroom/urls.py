"""Root URLs: the admin at NEWSROOM_ADMIN_PATH, language switching, and the site.

The reader's pages carry their language in the address (`i18n_patterns`): English, the default,
unprefixed, Chinese under /zh-hans/; so a page is cached by its URL alone. What has no
interface language stays unprefixed: admin, API, short links and QR files, the beacon,
sitemaps, robots.txt, media.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from articles import sitemaps
from core import views as health_views
from media.views import serve_media

urlpatterns = [
    # Health checks first and outside any language prefix: the balancer asks for exact paths.
    path("healthz", health_views.healthz, name="healthz"),
    path("readyz", health_views.readyz, name="readyz"),
    # Before the admin's own URLs: the second step of signing in (accounts/views.py).
    path(f"{settings.NEWSROOM_ADMIN_PATH}2fa/", include("accounts.urls")),
    path(settings.NEWSROOM_ADMIN_PATH, admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap_section"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("api/v1/", include("api.urls")),
    path("", include("qr.urls")),
    path("", include("readership.urls")),
    # Shared preview links: one address whatever the language (never `preview/<id>/`).
    path("", include("previews.urls")),
    *i18n_patterns(
        path("", include("search.urls")),
        path("", include("people.urls")),
        path("", include("articles.urls")),
        prefix_default_language=False,
    ),
]

if settings.NEWSROOM_SERVE_MEDIA:
    # Local media for single-machine installs; behind nginx or S3, turn this off (README).
    prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(
        re_path(rf"^{prefix}(?P<path>.*)$", serve_media, {"document_root": settings.MEDIA_ROOT})
    )
