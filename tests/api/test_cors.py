"""CORS: reads from NEWSROOM_API_CORS_ORIGINS only, none by default."""

from tests.api.helpers import API


def test_cors_only_for_configured_origins(client, content, settings):
    settings.NEWSROOM_API_CORS_ORIGINS = ["https://app.example.com"]
    allowed = client.get(f"{API}/articles", HTTP_ORIGIN="https://app.example.com")
    assert allowed["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "ETag" in allowed["Access-Control-Expose-Headers"]
    assert "Origin" in allowed["Vary"]
    other = client.get(f"{API}/articles", HTTP_ORIGIN="https://evil.example.net")
    assert "Access-Control-Allow-Origin" not in other
    assert "Origin" in other["Vary"]
    # No CORS for the view report: it is for apps, not other sites' pages.
    post = client.post(
        f"{API}/articles/{content['live'].pk}/view", HTTP_ORIGIN="https://app.example.com"
    )
    assert "Access-Control-Allow-Origin" not in post


def test_cors_preflight(client, db, settings):
    settings.NEWSROOM_API_CORS_ORIGINS = ["https://app.example.com"]
    ok = client.options(
        f"{API}/articles",
        HTTP_ORIGIN="https://app.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="If-None-Match",
    )
    assert ok.status_code == 204
    assert ok["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert ok["Access-Control-Allow-Methods"] == "GET, HEAD"
    assert ok["Access-Control-Allow-Headers"] == "if-none-match"
    for origin, method in (
        ("https://evil.example.net", "GET"),
        ("https://app.example.com", "POST"),
    ):
        denied = client.options(
            f"{API}/articles", HTTP_ORIGIN=origin, HTTP_ACCESS_CONTROL_REQUEST_METHOD=method
        )
        assert "Access-Control-Allow-Origin" not in denied


def test_no_cors_by_default(client, db, settings):
    settings.NEWSROOM_API_CORS_ORIGINS = []
    response = client.get(f"{API}/sections", HTTP_ORIGIN="https://app.example.com")
    assert "Access-Control-Allow-Origin" not in response


def test_any_origin_with_star(client, db, settings):
    settings.NEWSROOM_API_CORS_ORIGINS = ["*"]
    response = client.get(f"{API}/sections", HTTP_ORIGIN="https://anyone.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_no_preflight_grant_beyond_reads(client, content, settings):
    settings.NEWSROOM_API_CORS_ORIGINS = ["https://app.example.com"]
    for path, method, headers in [
        (f"/articles/{content['live'].pk}/view", "POST", ""),  # the view report is for apps
        ("/articles", "GET", "X-Requested-With"),  # a header reads do not need
    ]:
        response = client.options(
            API + path,
            HTTP_ORIGIN="https://app.example.com",
            HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS=headers,
        )
        assert response.status_code == 204
        assert "Access-Control-Allow-Origin" not in response, path
