"""Small line charts drawn as inline SVG on the server: no JavaScript, no chart library.

Why: the admin's readership panel needs a 30-day trend of views and QR scans. A few dozen
points do not justify a JS charting library (and CSP keeps scripts strict). Every text in the
SVG is escaped; the chart has a title and description for screen readers, a tooltip per point,
and the scans line is dashed as well as coloured so it reads without colour vision.
"""

from dataclasses import dataclass

from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


@dataclass
class Series:
    label: str  # plural noun used in tooltips: "views"
    values: list
    color: str
    dash: str = ""


def nice_ceiling(value):
    """The smallest 1, 2 or 5 x 10^k at or above `value` (at least 1): a readable axis top."""
    value = max(int(value), 1)
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover


def line_chart(days, series, *, title, description, width=640, height=200):
    """An SVG line chart of `series` (each one value per day of `days`)."""
    left, right, top, bottom = 44, 12, 12, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = nice_ceiling(max((max(s.values, default=0) for s in series), default=0))
    count = len(days)

    def x(i):
        return left + (plot_w * i / (count - 1) if count > 1 else plot_w / 2)

    def y(v):
        return top + plot_h - plot_h * v / top_value

    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" '
            'role="img" aria-labelledby="{}-t {}-d" class="stats-chart" '
            'style="max-width:{}px;height:auto;font:11px sans-serif">'
            '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>',
            width,
            height,
            "views-chart",
            "views-chart",
            width,
            "views-chart",
            title,
            "views-chart",
            description,
        )
    ]
    # Horizontal grid: 0, half, top, with labels.
    for value in (0, top_value / 2, top_value):
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d0d5dd" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="end" fill="#555">{}</text>',
                left,
                width - right,
                f"{y(value):.1f}",
                f"{y(value):.1f}",
                left - 6,
                f"{y(value) + 4:.1f}",
                number_format(value, 0, force_grouping=True),
            )
        )
    # Day labels: first, middle, last.
    for i in sorted({0, count // 2, count - 1}) if count else []:
        anchor = "start" if i == 0 else "end" if i == count - 1 else "middle"
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="{}" fill="#555">{}</text>',
                f"{x(i):.1f}",
                height - 8,
                anchor,
                date_format(days[i], "j M"),
            )
        )
    for s in series:
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(s.values))
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2" '
                'stroke-linejoin="round" stroke-dasharray="{}"/>',
                points,
                s.color,
                s.dash or "none",
            )
        )
        parts.append(
            format_html_join(
                "",
                '<circle cx="{}" cy="{}" r="2.5" fill="{}"><title>{}: {} {}</title></circle>',
                (
                    (
                        f"{x(i):.1f}",
                        f"{y(v):.1f}",
                        s.color,
                        date_format(days[i], "j M Y"),
                        number_format(v, force_grouping=True),
                        s.label,
                    )
                    for i, v in enumerate(s.values)
                ),
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))  # every part built with format_html
