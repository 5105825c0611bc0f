"""The site-wide "QR scans" page: which pieces of paper brought readers in the last 30 days."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import reverse

from qr import placement_stats
from qr.models import QRScansReport

VIEW_PERMISSION = "qr.view_placement"


@admin.register(QRScansReport)
class QRScansReportAdmin(admin.ModelAdmin):
    """Only a page: nothing here is added, changed or deleted."""

    def has_module_permission(self, request):
        return request.user.has_perm(VIEW_PERMISSION)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(VIEW_PERMISSION)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            return super().changelist_view(request, extra_context)  # Django's own refusal
        ranked = placement_stats.best_placements(placement_stats.CHART_DAYS)
        rows = [
            {
                "rank": rank,
                "item": item,
                "article_url": reverse("admin:articles_article_change", args=[item.article_id]),
                "placement_url": (
                    reverse("admin:qr_placement_change", args=[item.placement.pk])
                    if item.placement
                    else ""
                ),
            }
            for rank, item in enumerate(ranked, start=1)
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": self.model._meta.verbose_name_plural,
            "opts": self.model._meta,
            "rows": rows,
            "days": placement_stats.CHART_DAYS,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/qr/qrscansreport/change_list.html", context)
