from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = _("Editors' desk")

    def ready(self):
        from django.contrib import admin

        # The admin's home is the desk: what needs an editor today, then the app list.
        admin.site.index_template = "desk/index.html"
