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


@dataclass(frozen=True)
class Frame:
    """Where values and days land in the chart: the plot area inside the axis labels."""

    width: int
    height: int
    days: int  # points per series
    top_value: int  # the value at the top of the plot
    left: int = 44
    right: int = 12
    top: int = 12
    bottom: int = 26

    def x(self, i):
        plot_width = self.width - self.left - self.right
        return self.left + (plot_width * i / (self.days - 1) if self.days > 1 else plot_width / 2)

    def y(self, value):
        plot_height = self.height - self.top - self.bottom
        return self.top + plot_height - plot_height * value / self.top_value


def line_chart(days, series, *, title, description, width=640, height=200, chart_id="views-chart"):
    """An SVG line chart of `series` (each one value per day of `days`); `chart_id` names its
    title and description, unique per page when a page has several charts."""
    top_value = nice_ceiling(max((max(s.values, default=0) for s in series), default=0))
    frame = Frame(width=width, height=height, days=len(days), top_value=top_value)
    parts = [
        _svg_start(width, height, title, description, chart_id),
        *_grid(frame),
        *_day_labels(frame, days),
    ]
    for s in series:
        parts += [_line(frame, s), _points(frame, days, s)]
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))  # every part built with format_html


def _svg_start(width, height, title, description, chart_id):
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" '
        'role="img" aria-labelledby="{}-t {}-d" class="stats-chart" '
        'style="max-width:{}px;height:auto;font:11px sans-serif">'
        '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>',
        width,
        height,
        chart_id,
        chart_id,
        width,
        chart_id,
        title,
        chart_id,
        description,
    )


def _grid(frame):
    """Horizontal lines at 0, half and the top value, with their labels."""
    for value in (0, frame.top_value / 2, frame.top_value):
        y = frame.y(value)
        yield format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d0d5dd" stroke-width="1"/>'
            '<text x="{}" y="{}" text-anchor="end" fill="#555">{}</text>',
            frame.left,
            frame.width - frame.right,
            f"{y:.1f}",
            f"{y:.1f}",
            frame.left - 6,
            f"{y + 4:.1f}",
            number_format(value, 0, force_grouping=True),
        )


def _day_labels(frame, days):
    """The first, middle and last days under the plot."""
    count = len(days)
    for i in sorted({0, count // 2, count - 1}) if count else []:
        anchor = "start" if i == 0 else "end" if i == count - 1 else "middle"
        yield format_html(
            '<text x="{}" y="{}" text-anchor="{}" fill="#555">{}</text>',
            f"{frame.x(i):.1f}",
            frame.height - 8,
            anchor,
            date_format(days[i], "j M"),
        )


def _line(frame, series):
    points = " ".join(f"{frame.x(i):.1f},{frame.y(v):.1f}" for i, v in enumerate(series.values))
    return format_html(
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2" '
        'stroke-linejoin="round" stroke-dasharray="{}"/>',
        points,
        series.color,
        series.dash or "none",
    )


def _points(frame, days, series):
    """A dot per day, with its figure as a tooltip."""
    return format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="2.5" fill="{}"><title>{}: {} {}</title></circle>',
        (
            (
                f"{frame.x(i):.1f}",
                f"{frame.y(v):.1f}",
                series.color,
                date_format(days[i], "j M Y"),
                number_format(v, force_grouping=True),
                series.label,
            )
            for i, v in enumerate(series.values)
        ),
    )
