from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QrConfig(AppConfig):
    name = "qr"
    verbose_name = _("QR codes")

    def ready(self):
        # Importing qr.checks registers the settings checks.
        from articles.models import SHORT_CODE_HOLDERS
        from qr import (
            checks,  # noqa: F401
            placement_counts,
        )
        from qr.models import Placement

        placement_counts.register()
        if Placement not in SHORT_CODE_HOLDERS:
            SHORT_CODE_HOLDERS.append(Placement)
