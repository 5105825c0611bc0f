from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QrConfig(AppConfig):
    name = "qr"
    verbose_name = _("QR codes")

    def ready(self):
        # Importing qr.checks registers the settings checks.
        from qr import (
            checks,  # noqa: F401
            placement_counts,
        )

        placement_counts.register()
