"""The image library in the Django admin: upload, describe, and pick images for articles."""

import logging

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from media.forms import STORAGE_DOWN, ImageAdminForm
from media.models import Image
from media.processing import StorageUnavailable

log = logging.getLogger(__name__)

ADMIN_CSS = {"all": ["css/admin-newsroom.css"]}


def thumbnail_url(image, max_width=160):
    """The smallest stored rendition at least `max_width` wide, else the original file."""
    fitting = [
        r
        for r in (image.renditions or {}).values()
        if isinstance(r, dict) and r.get("name") and (r.get("width") or 0) >= max_width
    ]
    if fitting:
        best = min(fitting, key=lambda r: r["width"])
        return image.file.storage.url(best["name"])
    return image.file.url if image.file else ""


def thumbnail_tag(image, size=64):
    if image is None or not image.file:
        return mark_safe('<span class="nr-thumb nr-thumb--empty" aria-hidden="true"></span>')
    return format_html(
        '<img class="nr-thumb" src="{}" alt="{}" width="{}" loading="lazy" decoding="async">',
        thumbnail_url(image, size * 2),
        image.alt_text,
        size,
    )


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageAdminForm
    list_display = ["thumbnail", "title", "alt_text", "dimensions", "credit", "created_at"]
    list_display_links = ["thumbnail", "title"]
    list_select_related = ["uploaded_by"]
    search_fields = ["title", "alt_text", "caption", "credit"]
    date_hierarchy = "created_at"
    readonly_fields = ["preview", "width", "height", "uploaded_by", "created_at"]
    fields = [
        "file",
        "preview",
        "title",
        "alt_text",
        "caption",
        "credit",
        "width",
        "height",
        "uploaded_by",
        "created_at",
    ]
    picker_per_page = 48

    class Media:
        css = ADMIN_CSS

    @admin.display(description=_("image"))
    def thumbnail(self, obj):
        return thumbnail_tag(obj)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if obj is None or not obj.pk or not obj.file:
            return "-"
        return format_html(
            '<img class="nr-preview" src="{}" alt="{}" width="320" decoding="async">',
            thumbnail_url(obj, 640),
            obj.alt_text,
        )

    @admin.display(description=_("size"))
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height}" if obj.width and obj.height else "-"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """The form's own check catches a storage that is down; this catches one that goes
        down during the save. The transaction is rolled back, so no row points at no file."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StorageUnavailable:
            log.exception("Image save failed: the media storage stopped answering")
            self.message_user(request, STORAGE_DOWN, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        if not change and obj.uploaded_by_id is None:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        picker = path(
            "picker/",
            self.admin_site.admin_view(self.picker_view),
            name="media_image_picker",
        )
        return [picker, *super().get_urls()]

    def picker_view(self, request):
        """The rich-text editor's "Browse..." window: pick a library image for a figure.

        django-prose-editor's Figure dialog opens this page with ?CKEditorFuncNum=N and
        takes the answer through window.opener.CKEDITOR.tools.callFunction (see
        static/js/admin-image-picker.js).
        """
        if not self.has_view_permission(request):
            raise PermissionDenied
        queryset = self.get_queryset(request)
        query = request.GET.get("q", "").strip()[:200]
        if query:
            queryset = queryset.filter(
                Q(title__icontains=query)
                | Q(alt_text__icontains=query)
                | Q(caption__icontains=query)
            )
        page = Paginator(queryset, self.picker_per_page).get_page(request.GET.get("p"))
        func_num = request.GET.get("CKEditorFuncNum", "")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Choose an image"),
            "opts": self.opts,
            "page_obj": page,
            "images": [(image, thumbnail_url(image, 320)) for image in page.object_list],
            "query": query,
            "func_num": func_num if func_num.lstrip("-").isdigit() else "",
            "is_popup": True,
            "can_add": self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/media/image/picker.html", context)
