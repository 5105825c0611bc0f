"""/api/v1/ is the API's JSON index: a client starts there and finds everything else."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def local(url):
    assert url.startswith(settings.SITE_URL + "/api/v1/"), url
    return url.removeprefix(settings.SITE_URL)


def test_the_root_is_a_json_index_whose_links_answer(client, content):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    index = response.json()
    assert index["version"] == "1"
    assert client.get(local(index["schema_url"])).json()["info"]["version"] == "1"
    assert client.get(local(index["docs_url"])).status_code == 200
    live = content["live"]
    filled = {
        "sections": index["links"]["sections"],
        "articles": index["links"]["articles"],
        "article": index["links"]["article"].format(id=live.pk),
        "article_by_path": index["links"]["article_by_path"].format(
            section=live.section.slug, slug=live.slug
        ),
    }
    for name, url in filled.items():
        assert client.get(local(url)).status_code == 200, name
    assert local(index["links"]["view_report"]) == "/api/v1/articles/{id}/view"


def test_the_index_is_in_the_schema_and_takes_no_parameters(client, openapi):
    assert "/api/v1/" in openapi["paths"]
    response = client.get("/api/v1/?page=2")
    assert response.status_code == 400
    assert response.json()["errors"]
