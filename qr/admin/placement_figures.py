"""The placements table of an article's admin page, and a placement's own scans panel.

One row per placement (the article's own code, "Website", first): scans in total, in the last
7 and 30 days, a 30-day chart drawn on the server (`core.charts`), and its posters.
"""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from core import charts
from qr import placement_stats, posters

SCANS_COLOR = "#b45309"


def poster_links(figures, article):
    """(label, url) of each poster size of a placement (or of the article's own code)."""
    if figures.placement is None:
        base = reverse("qr:poster", args=[article.section.slug, article.slug])
    else:
        base = reverse("admin:qr_placement_poster", args=[figures.placement.pk])
    return [(name.upper(), f"{base}?size={name}&download=1") for name in posters.SIZES]


def chart(figures, chart_id):
    first, last = figures.days[0], figures.days[-1]
    return charts.line_chart(
        figures.days,
        [charts.Series(_("QR scans"), figures.daily, SCANS_COLOR)],
        title=_("QR scans per day: %(name)s") % {"name": figures.name},
        description=_("%(scans)s QR scans from %(first)s to %(last)s.")
        % {
            "scans": number_format(sum(figures.daily), force_grouping=True),
            "first": date_format(first, "j M Y"),
            "last": date_format(last, "j M Y"),
        },
        width=360,
        height=110,
        chart_id=chart_id,
    )


def rows(article, figures_list):
    return [
        {
            "figures": figures,
            "change_url": (
                reverse("admin:qr_placement_change", args=[figures.placement.pk])
                if figures.placement
                else ""
            ),
            "last7": figures.last(7),
            "last30": figures.last(30),
            "chart": chart(figures, f"placement-chart-{index}"),
            "posters": poster_links(figures, article),
        }
        for index, figures in enumerate(figures_list)
    ]


def placements_table(article):
    """The article's placements panel (HTML, escaped by the template)."""
    figures_list = placement_stats.article_placements(article)
    return render_to_string(
        "admin/qr/placements_panel.html",
        {
            "rows": rows(article, figures_list),
            "add_url": reverse("admin:qr_placement_add") + f"?article={article.pk}",
        },
    )


def placement_panel(placement):
    """A placement's own page: its row of the table alone."""
    figures = next(
        f
        for f in placement_stats.article_placements(placement.article)
        if f.placement is not None and f.placement.pk == placement.pk
    )
    return render_to_string(
        "admin/qr/placements_panel.html", {"rows": rows(placement.article, [figures])}
    )
