"""The article list: filters, pagination and `fields`."""

from datetime import timedelta

from django.utils import timezone

from tests.api.helpers import API


def _ids(client, **params):
    response = client.get(f"{API}/articles", params)
    assert response.status_code == 200, response.content
    return [a["id"] for a in response.json()["results"]]


def test_filters(client, content):
    live, older = content["live"].pk, content["older"].pk
    assert _ids(client) == [live, older]  # newest first
    assert _ids(client, section="news-center") == [live, older]  # with sub-sections
    assert _ids(client, section="industry") == [older]
    assert _ids(client, tag="transport") == [live]
    assert _ids(client, tag="no-such-tag") == []
    assert _ids(client, language="zh-hans") == [older]
    assert _ids(client, featured="true") == [live]
    assert _ids(client, featured="false") == [older]
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert _ids(client, published_after=since) == [live]
    assert _ids(client, published_before=since) == [older]
    assert _ids(client, published_after="2000-01-01") == [live, older]
    assert _ids(client, q="Harbour") == [older]
    assert _ids(client, q="riverside", section="industry") == []


def test_unknown_section_is_404(client, content):
    response = client.get(f"{API}/articles?section=no-such-section")
    assert response.status_code == 404
    assert "no-such-section" in response.json()["detail"]


def test_pagination(client, make_article):
    for _ in range(5):
        make_article()
    first = client.get(f"{API}/articles?page_size=2&tag=&q=").json()
    assert (first["count"], first["pages"], len(first["results"])) == (5, 3, 2)
    assert first["previous"] is None
    second = client.get(first["next"].removeprefix("http://testserver")).json()
    assert second["page"] == 2
    assert second["previous"].startswith("http://testserver/api/v1/articles?")
    third = client.get(second["next"].removeprefix("http://testserver")).json()
    assert len(third["results"]) == 1 and third["next"] is None
    seen = [a["id"] for page in (first, second, third) for a in page["results"]]
    assert len(set(seen)) == 5
    past_end = client.get(f"{API}/articles?page_size=2&page=9").json()
    assert past_end["results"] == [] and past_end["count"] == 5


def test_fields_trim_the_items(client, content):
    results = client.get(f"{API}/articles?fields=title, views").json()["results"]
    assert results and all(set(item) == {"id", "title", "views"} for item in results)


def test_extreme_dates_are_clamped_not_errors(client, content):
    assert _ids(client, published_after="0001-01-01T00:00:00+14:00") == [
        content["live"].pk,
        content["older"].pk,
    ]
    assert _ids(client, published_after="9999-12-31T23:59:59-12:00") == []


def test_list_gives_each_article_its_own_tags_sorted(client, many):
    results = client.get(f"{API}/articles?page_size=50").json()["results"]
    assert len(results) == 30
    expected = {a.pk: sorted(["all", f"tag{n % 4}"]) for n, a in enumerate(many)}
    assert {r["id"]: [t["name"] for t in r["tags"]] for r in results} == expected
    assert all(t["slug"] == t["name"] for r in results for t in r["tags"])
