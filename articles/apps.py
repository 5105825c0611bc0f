from django.apps import AppConfig
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("News")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from articles import checks, signals  # noqa: F401  (checks registers the settings checks)

        signals.connect()
        brand_admin()


def brand_admin():
    """The admin carries the site's name (NEWSROOM_SITE_NAME), not "Django administration"."""
    from django.conf import settings
    from django.contrib import admin

    admin.site.site_header = settings.SITE_NAME
    admin.site.site_title = settings.SITE_NAME
    # Django's own, already translated, label after the name.
    admin.site.index_title = format_lazy("{} · {}", settings.SITE_NAME, _("Site administration"))
