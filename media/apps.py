from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "media"
    verbose_name = _("Images")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import health
        from media import checks, lifecycle  # noqa: F401 - checks register on import
        from media.health import storage_answers

        lifecycle.connect()
        health.register("storage", storage_answers)
