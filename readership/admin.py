"""Readership on the article admin: totals, recent days and a daily chart.

Why: "Views: N" is the figure editors check first; the change page shows where it comes from
(last 7 and 30 days, a 30-day chart of views and QR scans drawn on the server by charts.py)
with one query on the daily rows (`trends.py`). Counts still pending in Redis are included and
flagged.
"""

from django.contrib import admin
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import charts
from readership.trends import readership

VIEWS_COLOR = "#1d4ed8"
SCANS_COLOR = "#b45309"


class ArticleStatsAdminMixin:
    """Adds the read-only `views_panel` field to an article ModelAdmin."""

    @admin.display(description=gettext_lazy("Readership"))
    def views_panel(self, obj):
        if obj is None or obj.pk is None:
            return _("Counts appear once the article is published and read.")
        trend = readership(obj)
        return format_html(
            '<div class="readership">{}{}{}{}{}</div>',
            totals_table(trend),
            pending_note(trend),
            chart(trend),
            legend(),
            daily_table(trend),
        )


def _n(value):
    return number_format(value, force_grouping=True)


def totals_table(trend):
    """Total, last 7 and last 30 days, for views and QR scans."""
    return format_html(
        '<table class="stats-table"><thead><tr><th></th><th scope="col">{}</th>'
        '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>'
        '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>'
        '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>'
        "</tbody></table>",
        _("Total"),
        _("Last 7 days"),
        _("Last 30 days"),
        _("Views"),
        _n(trend.total_views),
        _n(trend.views_in_last(7)),
        _n(trend.views_in_last(30)),
        _("QR scans"),
        _n(trend.total_scans),
        _n(trend.scans_in_last(7)),
        _n(trend.scans_in_last(30)),
    )


def pending_note(trend):
    """A line saying how much of the figures is still waiting in Redis; empty when nothing is."""
    if not trend.has_pending:
        return ""
    return format_html(
        '<p class="help">{}</p>',
        _("Includes %(views)s views and %(scans)s scans not yet written to the database.")
        % {"views": _n(trend.pending["views"]), "scans": _n(trend.pending["qr_scans"])},
    )


def chart(trend):
    """The SVG line chart of views and QR scans per day, with a text description."""
    first, last = trend.days[0], trend.days[-1]
    return charts.line_chart(
        trend.days,
        [
            charts.Series(_("views"), trend.views, VIEWS_COLOR),
            charts.Series(_("QR scans"), trend.scans, SCANS_COLOR, dash="5 3"),
        ],
        title=_("Views and QR scans per day"),
        description=_("%(views)s views and %(scans)s QR scans from %(first)s to %(last)s.")
        % {
            "views": _n(sum(trend.views)),
            "scans": _n(sum(trend.scans)),
            "first": date_format(first, "j M Y"),
            "last": date_format(last, "j M Y"),
        },
    )


def legend():
    return format_html(
        '<p class="stats-legend">'
        '<span style="color:{}">&#9644; {}</span> &nbsp; '
        '<span style="color:{}">&#9476; {}</span></p>',
        VIEWS_COLOR,
        _("Views"),
        SCANS_COLOR,
        _("QR scans"),
    )


def daily_table(trend):
    """The chart's figures as a table, newest day first, folded away under "Daily figures"."""
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
        (
            (date_format(day, "D j M"), _n(views), _n(scans))
            for day, views, scans in reversed(
                list(zip(trend.days, trend.views, trend.scans, strict=True))
            )
        ),
    )
    return format_html(
        '<details><summary>{}</summary><table class="stats-table"><thead><tr><th></th>'
        '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody>'
        "</table></details>",
        _("Daily figures"),
        _("Views"),
        _("QR scans"),
        rows,
    )
