"""The API's contract: its OpenAPI schema and docs, and every endpoint's answers matching them."""

import pytest

from tests.api.helpers import API, check


def test_openapi_schema_and_docs(client, db):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/",
        "/api/v1/sections",
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/sections/{section_slug}/articles/{slug}",
        "/api/v1/articles/{article_id}/view",
    }
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            assert {"200", "400", "404", "429"} <= set(operation["responses"]), path
    docs = client.get(f"{API}/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    # Swagger UI from ninja's own static files: no CDN, no inline script to run.
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "/api/v1/openapi.json" in html


def test_every_endpoint_matches_its_schema(client, content, openapi):
    live = content["live"]
    check(openapi, "/api/v1/sections", "get", client.get(f"{API}/sections"))
    check(openapi, "/api/v1/articles", "get", client.get(f"{API}/articles"))
    check(openapi, "/api/v1/articles", "get", client.get(f"{API}/articles?fields=title,cover"))
    check(openapi, "/api/v1/articles", "get", client.get(f"{API}/articles?page=-1"))
    check(openapi, "/api/v1/articles", "get", client.get(f"{API}/articles?section=nope"))
    by_id = "/api/v1/articles/{article_id}"
    check(openapi, by_id, "get", client.get(f"{API}/articles/{live.pk}"))
    check(openapi, by_id, "get", client.get(f"{API}/articles/999999"))
    by_path = "/api/v1/sections/{section_slug}/articles/{slug}"
    check(openapi, by_path, "get", client.get(f"{API}/sections/company-news/articles/{live.slug}"))
    view = "/api/v1/articles/{article_id}/view"
    check(openapi, view, "post", client.post(f"{API}/articles/{live.pk}/view"))
    check(openapi, view, "post", client.post(f"{API}/articles/{content['draft'].pk}/view"))


@pytest.mark.browser
def test_docs_render_under_csp(page, live_server, content):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}{API}/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/articles" in p for p in paths)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
