from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    """`manage.py backup` and `restore`: the database and the media, with a manifest."""

    name = "backups"
    verbose_name = _("Backups")
