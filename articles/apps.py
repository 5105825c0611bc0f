from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("News")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # search: keeps search vectors current on PostgreSQL; signals: cache invalidation;
        # checkpoints: SQLite's WAL checkpoints out of requests.
        from . import checkpoints, search, signals  # noqa: F401
