"""The article's QR code on its admin page: preview and downloads for print."""

from django.contrib import admin


class ArticleQRAdminMixin:
    """Adds the read-only `qr_panel` field to an article ModelAdmin."""

    @admin.display(description="QR code")
    def qr_panel(self, obj):
        return ""
