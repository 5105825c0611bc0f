"""The readership panel on the article's admin page: totals, 7/30 days, the SVG chart."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from core import charts
from readership.models import DailyStat


def test_change_page_shows_totals_recent_days_and_chart(client, editor, article):
    today = timezone.localdate()
    for days_ago, views, scans in [(0, 5, 1), (3, 7, 2), (10, 11, 0), (40, 100, 9)]:
        DailyStat.objects.create(
            article=article, day=today - timedelta(days=days_ago), views=views, qr_scans=scans
        )
    type(article).objects.filter(pk=article.pk).update(views=123, qr_scans=12)
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    panel = html[html.index('<div class="readership">') :]
    cells = re.findall(r"<td>([\d,]+)</td>", panel[: panel.index("</table>")])
    assert cells == ["123", "12", "23", "12", "3", "3"]
    svg = panel[panel.index("<svg") : panel.index("</svg>")]
    assert svg.count("<polyline") == 2  # views and QR scans
    assert svg.count("<circle") == 60  # 30 days x 2 series
    assert "<title" in svg and 'role="img"' in svg
    assert f"{(today - timedelta(days=3)).day} " in svg


def test_add_page_has_no_panel_error(client, editor, section):
    client.force_login(editor)
    assert client.get(reverse("admin:articles_article_add")).status_code == 200


def test_chart_escapes_text_and_scales():
    days = [timezone.localdate() - timedelta(days=i) for i in range(3)][::-1]
    svg = charts.line_chart(
        days,
        [charts.Series("<b>views</b>", [0, 3, 7], "#000")],
        title="<script>x</script>",
        description="d & e",
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "&lt;b&gt;views&lt;/b&gt;" in svg
    assert ">10</text>" in svg  # 7 rounds up to a readable axis top
    assert charts.nice_ceiling(0) == 1 and charts.nice_ceiling(130) == 200
