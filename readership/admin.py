"""Readership on the article admin: totals, recent days and a daily chart.

Why: "Views: N" is the figure editors check first; the change page shows where it comes from
(last 7 and 30 days, a 30-day chart of views and QR scans drawn on the server by charts.py)
with one query on the daily rows. Counts still pending in Redis are included and flagged.
"""

from datetime import timedelta

from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import charts
from readership import counts
from readership.models import DailyStat

CHART_DAYS = 30
VIEWS_COLOR = "#1d4ed8"
SCANS_COLOR = "#b45309"


def readership(article, days=CHART_DAYS):
    """Totals and the last `days` days of views and scans of `article` (one query)."""
    today = timezone.localdate()
    span = [today - timedelta(days=days - 1 - i) for i in range(days)]
    rows = {
        day: (views, scans)
        for day, views, scans in DailyStat.objects.filter(
            article_id=article.pk, day__gte=span[0], day__lte=today
        ).values_list("day", "views", "qr_scans")
    }
    pending = counts.pending_counts(article.pk)
    views = [rows.get(day, (0, 0))[0] for day in span]
    scans = [rows.get(day, (0, 0))[1] for day in span]
    # Pending counts are today's (the app flushes every few seconds).
    views[-1] += pending["views"]
    scans[-1] += pending["qr_scans"]
    return {
        "days": span,
        "views": views,
        "scans": scans,
        "pending": pending,
        "total_views": article.views + pending["views"],
        "total_scans": article.qr_scans + pending["qr_scans"],
        "views_7": sum(views[-7:]),
        "views_30": sum(views),
        "scans_7": sum(scans[-7:]),
        "scans_30": sum(scans),
    }


def _n(value):
    return number_format(value, force_grouping=True)


class ArticleStatsAdminMixin:
    """Adds the read-only `views_panel` field to an article ModelAdmin."""

    @admin.display(description=gettext_lazy("Readership"))
    def views_panel(self, obj):
        if obj is None or obj.pk is None:
            return _("Counts appear once the article is published and read.")
        data = readership(obj)
        table = format_html(
            '<table class="stats-table"><thead><tr><th></th><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>'
            '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>'
            '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>'
            "</tbody></table>",
            _("Total"),
            _("Last 7 days"),
            _("Last 30 days"),
            _("Views"),
            _n(data["total_views"]),
            _n(data["views_7"]),
            _n(data["views_30"]),
            _("QR scans"),
            _n(data["total_scans"]),
            _n(data["scans_7"]),
            _n(data["scans_30"]),
        )
        pending = data["pending"]
        note = ""
        if pending["views"] or pending["qr_scans"]:
            note = format_html(
                '<p class="help">{}</p>',
                _("Includes %(views)s views and %(scans)s scans not yet written to the database.")
                % {"views": _n(pending["views"]), "scans": _n(pending["qr_scans"])},
            )
        first, last = data["days"][0], data["days"][-1]
        chart = charts.line_chart(
            data["days"],
            [
                charts.Series(_("views"), data["views"], VIEWS_COLOR),
                charts.Series(_("QR scans"), data["scans"], SCANS_COLOR, dash="5 3"),
            ],
            title=_("Views and QR scans per day"),
            description=_("%(views)s views and %(scans)s QR scans from %(first)s to %(last)s.")
            % {
                "views": _n(data["views_30"]),
                "scans": _n(data["scans_30"]),
                "first": date_format(first, "j M Y"),
                "last": date_format(last, "j M Y"),
            },
        )
        legend = format_html(
            '<p class="stats-legend">'
            '<span style="color:{}">&#9644; {}</span> &nbsp; '
            '<span style="color:{}">&#9476; {}</span></p>',
            VIEWS_COLOR,
            _("Views"),
            SCANS_COLOR,
            _("QR scans"),
        )
        daily = format_html_join(
            "",
            '<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
            (
                (date_format(day, "D j M"), _n(v), _n(s))
                for day, v, s in reversed(
                    list(zip(data["days"], data["views"], data["scans"], strict=True))
                )
            ),
        )
        details = format_html(
            '<details><summary>{}</summary><table class="stats-table"><thead><tr><th></th>'
            '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody>'
            "</table></details>",
            _("Daily figures"),
            _("Views"),
            _("QR scans"),
            daily,
        )
        return format_html(
            '<div class="readership">{}{}{}{}{}</div>', table, note, chart, legend, details
        )
