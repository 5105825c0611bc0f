"""Bad input is a JSON 400 in the Error shape; unknown paths are JSON 404s."""

import pytest

from tests.api.helpers import API, validate

BAD_INPUT = [
    "page=-1",
    "page=0",
    "page=abc",
    "page=99999999999999999999999",
    "page_size=0",
    "page_size=1000",
    "fields=__class__",
    "fields=title,__dict__",
    "fields=body",
    "unknown=1",
    "sectoin=company-news",
    "q=" + "x" * 5000,
    "q=a%00b",
    "section=../../etc",
    "section=" + "s" * 500,
    "language=xx",
    "featured=maybe",
    "published_after=yesterday",
    "published_before=2024-13-45",
]


@pytest.mark.parametrize("query", BAD_INPUT)
def test_bad_input_is_a_json_400(client, content, openapi, query):
    response = client.get(f"{API}/articles?{query}")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"]
    validate(openapi, "Error", body)


@pytest.mark.parametrize(
    "path",
    [
        "/articles/0",
        "/articles/99999999999999999999",
        "/articles/1?fields=title",
        "/sections/a%00b/articles/x",
        "/sections?depth=3",
    ],
)
def test_bad_input_on_other_endpoints(client, content, path):
    response = client.get(API + path)
    assert response.status_code == 400, response.content
    assert response.json()["detail"]


def test_unknown_api_paths_are_json_404s(client, db):
    response = client.get(f"{API}/nothing/here")
    assert response.status_code == 404
    assert response.json()["detail"] == "Not Found"


def test_unknown_api_paths_are_json_404s_whatever_the_method(client, db):
    for method in ("post", "put", "delete", "head"):
        response = getattr(client, method)(f"{API}/nothing/here")
        assert response.status_code == 404, method
        if method != "head":
            assert response.json() == {"detail": "Not Found", "errors": []}
