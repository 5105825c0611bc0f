"""The article's QR code on its admin page: preview, downloads for print, and its placements.

Editors lay out print pages with these files; the links go to the same cached
endpoints readers use (staff may fetch a draft's code before it is published). Below the code,
the article's placements (its own code, "Website", first) with their scans and a chart each,
their posters, and a link to add one (`qr.admin.placements`).
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qr import codes
from qr.admin.placement_figures import placements_table


class ArticleQRAdminMixin:
    """Adds the read-only `qr_panel` field to an article ModelAdmin."""

    @admin.display(description=_("QR code"))
    def qr_panel(self, obj):
        if obj is None or obj.pk is None:
            return gettext("The QR code appears here once the article is saved.")
        short_url = obj.get_short_url()
        args = [obj.section.slug, obj.slug]
        png_url = reverse("qr:png", args=args)
        svg_url = reverse("qr:svg", args=args)
        note = (
            "" if obj.is_live else gettext("Readers can follow it once the article is published.")
        )
        return format_html(
            '<div class="qr-panel">'
            '<div class="qr-panel__code" style="width:10rem;background:#fff">{}</div>'
            '<p>{} <code class="qr-panel__link">{}</code> {}</p>'
            '<p><a href="{}?size={}&amp;download=1" download>{}</a> · '
            '<a href="{}?download=1" download>{}</a></p></div>{}',
            # Markup drawn by qr.codes from the module matrix; the label is escaped there.
            mark_safe(codes.svg(short_url)),
            gettext("Short link:"),
            short_url,
            note,
            png_url,
            codes.PRINT_PNG_SIZE,
            gettext("Download PNG for print (%(size)s px)") % {"size": codes.PRINT_PNG_SIZE},
            svg_url,
            gettext("Download SVG"),
            placements_table(obj),
        )
