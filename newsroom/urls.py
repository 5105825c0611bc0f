"""Root URLs: the admin at NEWSROOM_ADMIN_PATH, language switching, and the site."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

urlpatterns = [
    path(settings.NEWSROOM_ADMIN_PATH, admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("articles.urls")),
]

if settings.NEWSROOM_SERVE_MEDIA:
    # Local media for single-machine installs; behind nginx or S3, turn this off (README).
    prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(
        re_path(rf"^{prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )
