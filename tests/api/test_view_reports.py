"""POST /articles/{id}/view: counted by the site's rules, once per reader and window."""

from django.test import Client

from tests.api.helpers import API
from tests.support.agents import PHONE


def test_reporting_a_view_counts_once(client, content):
    live = content["live"]
    url = f"{API}/articles/{live.pk}/view"
    first = client.post(url, HTTP_USER_AGENT=PHONE)
    assert first.status_code == 200
    assert first.json() == {"counted": True, "views": 1}
    live.refresh_from_db()
    assert live.views == 1
    assert live.daily_stats.get().views == 1
    # Same counting rules as the site: a client that keeps the cookie counts once per window.
    again = client.post(url, HTTP_USER_AGENT=PHONE)
    assert again.json() == {"counted": False, "views": 1}
    # One that keeps no cookie counts again (the site stores no IP to recognise it).
    client.cookies.clear()
    assert client.post(url, HTTP_USER_AGENT=PHONE).json() == {"counted": True, "views": 2}


def test_bots_reporting_views_are_not_counted(client, content):
    live = content["live"]
    for agent in ("", "curl/8.5.0", "Googlebot/2.1 (+http://www.google.com/bot.html)"):
        response = client.post(f"{API}/articles/{live.pk}/view", HTTP_USER_AGENT=agent)
        assert response.status_code == 200
        assert response.json()["counted"] is False
    live.refresh_from_db()
    assert live.views == 0


def test_view_report_needs_no_csrf_token(content):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"{API}/articles/{content['live'].pk}/view", HTTP_USER_AGENT=PHONE)
    assert response.status_code == 200


def test_view_report_is_rate_limited(client, content, settings):
    settings.NEWSROOM_API_VIEW_RATE = "2/min"
    url = f"{API}/articles/{content['live'].pk}/view"
    codes = [client.post(url, HTTP_USER_AGENT=PHONE).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    # Reads have their own allowance.
    assert client.get(f"{API}/articles").status_code == 200


def test_count_views_off_counts_nothing(client, content, settings):
    settings.NEWSROOM_COUNT_VIEWS = False
    response = client.post(f"{API}/articles/{content['live'].pk}/view", HTTP_USER_AGENT=PHONE)
    assert response.json()["counted"] is False
