"""Placements from the admin alone: add one, download its poster, and later see its scans per
day beside the article's other placements; writers on their own articles, editors on any."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qr.models import Placement, PlacementDay
from readership.models import DailyStat
from tests.qr.helpers import decode_pdf
from tests.support.agents import PHONE

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:qr_placement_add")
REPORT_URL = reverse("admin:qr_qrscansreport_changelist")


def add_placement(client, article, name="Canteen board", note=""):
    return client.post(ADD_URL, {"article": article.pk, "name": name, "note": note})


def article_page(client, article):
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    return response.content.decode()


def figures_of(page, name):
    """(total, 7 days, 30 days) in the placements table row named `name`."""
    row = re.search(rf'<tr data-placement="{re.escape(name)}">(.*?)</tr>', page, re.S).group(1)
    return tuple(
        int(re.search(rf'data-scans="{k}">(\d+)<', row).group(1)) for k in ("total", "7", "30")
    )


def test_an_editor_adds_a_placement_downloads_its_poster_and_sees_its_scans(editor_client, article):
    response = add_placement(editor_client, article, note="By the coffee machine")
    assert response.status_code == 302
    placement = Placement.objects.get()
    assert placement.created_by.username == "editor"
    assert placement.article == article

    poster_url = reverse("admin:qr_placement_poster", args=[placement.pk])
    pdf = editor_client.get(poster_url, {"size": "a5", "download": "1"})
    assert pdf.status_code == 200
    assert "private" in pdf["Cache-Control"]
    [link] = decode_pdf(pdf.content, 150)
    assert link == placement.get_short_url()
    assert editor_client.get(poster_url, {"size": "letter"}).status_code == 400

    phone = Client(HTTP_USER_AGENT=PHONE)
    for _ in range(3):
        phone.get(link)
    phone.get(article.get_short_url())
    # A week ago, the paper brought two more (as the daily rows say).
    week_ago = timezone.localdate() - timedelta(days=6)
    PlacementDay.objects.create(placement=placement, day=week_ago, scans=2)
    Placement.objects.filter(pk=placement.pk).update(scans=5)
    DailyStat.objects.create(article=article, day=week_ago, qr_scans=2)
    article.refresh_from_db()
    article.qr_scans += 2
    type(article).objects.filter(pk=article.pk).update(qr_scans=article.qr_scans)

    page = article_page(editor_client, article)
    assert figures_of(page, "Canteen board") == (5, 5, 5)
    assert figures_of(page, "Website") == (1, 1, 1)
    assert page.index('data-placement="Website"') < page.index('data-placement="Canteen board"')
    assert page.count('class="stats-chart"') >= 3  # the readership chart, and one per placement
    assert 'id="placement-chart-1-t"' in page


def test_a_placements_own_page_shows_its_chart_and_posters(editor_client, article):
    placement = Placement.objects.create(article=article, name="Lobby screen")
    response = editor_client.get(reverse("admin:qr_placement_change", args=[placement.pk]))
    content = response.content.decode()
    assert placement.get_short_url() in content
    assert reverse("admin:qr_placement_poster", args=[placement.pk]) in content
    assert 'class="stats-chart"' in content


def test_writers_add_placements_to_their_own_articles_only(writer_client, writer, make_article):
    own = make_article(title="Mine", author=writer)
    other = make_article(title="Theirs")
    assert add_placement(writer_client, own).status_code == 302
    response = add_placement(writer_client, other)
    assert response.status_code == 200  # the form again, with an error
    assert Placement.objects.filter(article=other).count() == 0
    theirs = Placement.objects.create(article=other, name="Not yours")
    change = reverse("admin:qr_placement_change", args=[theirs.pk])
    assert writer_client.get(change).status_code in (302, 403, 404)
    assert (
        writer_client.get(reverse("admin:qr_placement_poster", args=[theirs.pk])).status_code == 404
    )
    listed = writer_client.get(reverse("admin:qr_placement_changelist")).content.decode()
    assert "Canteen board" in listed and "Not yours" not in listed


def test_editors_add_placements_to_any_article(editor_client, make_article):
    assert add_placement(editor_client, make_article(title="Someone's")).status_code == 302


def test_readers_and_staff_without_the_permission_add_none(client, django_user_model, article):
    assert add_placement(client, article).status_code == 302  # to the login page
    staff = django_user_model.objects.create_user("intern", password="pw-intern-123", is_staff=True)
    client.force_login(staff)
    assert add_placement(client, article).status_code == 403
    assert client.get(REPORT_URL).status_code == 403
    assert Placement.objects.count() == 0


def test_retiring_keeps_the_link_working_and_shows_it_as_retired(editor_client, article):
    placement = Placement.objects.create(article=article, name="Expo brochure p.3")
    response = editor_client.post(
        reverse("admin:qr_placement_changelist"),
        {"action": "retire", "_selected_action": [placement.pk]},
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.retired_at is not None
    assert "Retired" in article_page(editor_client, article)
    phone = Client(HTTP_USER_AGENT=PHONE)
    assert phone.get(placement.get_short_url())["Location"] == article.get_full_url()


def test_the_qr_scans_page_ranks_the_best_placements_across_articles(editor_client, make_article):
    first, second = make_article(title="First story"), make_article(title="Second story")
    canteen = Placement.objects.create(article=first, name="Canteen board")
    gate = Placement.objects.create(article=second, name="Factory gate")
    phone = Client(HTTP_USER_AGENT=PHONE)
    for link, times in ((gate.get_short_url(), 3), (canteen.get_short_url(), 1)):
        for _ in range(times):
            phone.get(link)
    for _ in range(2):
        phone.get(first.get_short_url())
    old = timezone.localdate() - timedelta(days=40)  # outside the 30 days
    PlacementDay.objects.create(placement=canteen, day=old, scans=100)
    response = editor_client.get(REPORT_URL)
    assert response.status_code == 200
    content = response.content.decode().split("<tbody>", 1)[1]
    order = [content.index(text) for text in ("Factory gate", "Website", "Canteen board")]
    assert order == sorted(order)
    scans = [int(n) for n in re.findall(r"<td data-scans>(\d+)</td>", content)]
    assert scans == [3, 2, 1]


def test_the_report_is_on_the_admin_index(editor_client):
    assert REPORT_URL in editor_client.get(reverse("admin:index")).content.decode()


def test_retired_is_a_tick_box_on_the_placements_page(editor_client, article):
    placement = Placement.objects.create(article=article, name="Lobby screen")
    url = reverse("admin:qr_placement_change", args=[placement.pk])
    response = editor_client.post(url, {"name": "Lobby screen", "note": "", "retired": "on"})
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.retired_at is not None and placement.article == article
    editor_client.post(url, {"name": "Lobby screen", "note": ""})
    placement.refresh_from_db()
    assert placement.retired_at is None
