from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadershipConfig(AppConfig):
    name = "readership"
    verbose_name = _("Readership")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from readership import checks  # noqa: F401  (registers the settings checks)
