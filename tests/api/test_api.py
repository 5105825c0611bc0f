"""The Content API (/api/v1/): contract, liveness, bad input, caching, CORS, limits, budget."""

import json
from datetime import timedelta

import jsonschema_rs
import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.http import http_date

from articles.models import Article, Section

API = "/api/v1"
BROWSER_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)


@pytest.fixture(scope="module")
def openapi():
    from api.endpoints import api

    # Through JSON, as clients read it (status codes become strings).
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))


def validate(openapi, component, data):
    """Check `data` against a component of the API's own OpenAPI schema."""
    schema = {
        "$ref": f"#/components/schemas/{component}",
        "components": openapi["components"],
    }
    jsonschema_rs.validator_for(schema).validate(data)


def operation_schema(openapi, path, method, status):
    responses = openapi["paths"][path][method]["responses"]
    content = responses[str(status)]["content"]["application/json"]["schema"]
    return {**content, "components": openapi["components"]}


def check(openapi, path, method, response):
    """The response's status is documented and its JSON body matches that status' schema."""
    assert response["Content-Type"].startswith("application/json")
    schema = operation_schema(openapi, path, method, response.status_code)
    jsonschema_rs.validator_for(schema).validate(response.json())


@pytest.fixture
def content(make_article, make_image, section, news_center):
    """Live, draft, in-review and scheduled articles, in two sections and two languages."""
    other = Section.objects.create(name="Industry", slug="industry", parent=news_center, position=2)
    cover = make_image("cover.jpg")
    live = make_article(
        title="Riverside line opens",
        slug="riverside-line-opens",
        cover=cover,
        tags=["Transport", "City"],
        featured=True,
        body='<p>See <a href="/news/industry/">industry</a>.</p><img src="/media/x.jpg" alt="x">',
    )
    older = make_article(
        title="Harbour works begin",
        slug="harbour-works",
        section=other,
        language="zh-hans",
        published_at=timezone.now() - timedelta(days=3),
        tags=["Port"],
    )
    draft = make_article(title="Secret draft", slug="secret-draft", status=Article.Status.DRAFT)
    review = make_article(title="Under review", slug="under-review", status=Article.Status.REVIEW)
    scheduled = make_article(
        title="Tomorrow's news",
        slug="tomorrows-news",
        published_at=timezone.now() + timedelta(days=1),
    )
    return {
        "live": live,
        "older": older,
        "draft": draft,
        "review": review,
        "scheduled": scheduled,
        "other": other,
    }


# --- Contract ---------------------------------------------------------------------------


def test_openapi_schema_and_docs(client, db):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
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


def test_sections_tree(client, content, section):
    tree = client.get(f"{API}/sections").json()
    assert [s["slug"] for s in tree] == ["news-center"]
    children = tree[0]["children"]
    assert [c["slug"] for c in children] == ["company-news", "industry"]
    assert children[0]["url"] == "http://testserver/news/company-news/"
    assert children[0]["parent_id"] == tree[0]["id"]


def test_article_detail_has_everything_an_app_shows(client, content):
    live = content["live"]
    Article.objects.filter(pk=live.pk).update(views=41)
    data = client.get(f"{API}/articles/{live.pk}").json()
    assert data["title"] == "Riverside line opens"
    assert data["url"] == "http://testserver/news/company-news/riverside-line-opens/"
    assert data["short_url"] == f"http://testserver/s/{live.short_code}/"
    assert data["views"] == 41
    assert data["section"]["slug"] == "company-news"
    assert [t["slug"] for t in data["tags"]] == ["city", "transport"]
    # Sanitised body, relative links made absolute for apps.
    assert 'href="http://testserver/news/industry/"' in data["body"]
    assert 'src="http://testserver/media/x.jpg"' in data["body"]
    cover = data["cover"]
    assert cover["url"].startswith("http://testserver/media/")
    assert cover["alt_text"] == "Alt text for cover.jpg"
    assert (cover["width"], cover["height"]) == (1200, 800)
    assert cover["renditions"]
    for rendition in cover["renditions"]:
        assert rendition["url"].startswith("http://testserver/")
        assert rendition["width"] and rendition["height"]
        assert rendition["type"].startswith("image/")
    by_path = client.get(f"{API}/sections/company-news/articles/riverside-line-opens").json()
    assert by_path == data


def test_body_is_sanitised(client, make_article):
    article = make_article(body='<p onclick="x()">Hi</p><script>alert(1)</script>')
    body = client.get(f"{API}/articles/{article.pk}").json()["body"]
    assert "script" not in body
    assert "onclick" not in body
    assert "<p>Hi</p>" in body


# --- Only live articles -----------------------------------------------------------------


def test_drafts_review_and_scheduled_never_appear(client, content):
    listed = client.get(f"{API}/articles?page_size=50").json()
    assert {a["id"] for a in listed["results"]} == {content["live"].pk, content["older"].pk}
    assert listed["count"] == 2
    for key in ("draft", "review", "scheduled"):
        article = content[key]
        assert client.get(f"{API}/articles/{article.pk}").status_code == 404
        path = f"{API}/sections/company-news/articles/{article.slug}"
        assert client.get(path).status_code == 404
        assert client.post(f"{API}/articles/{article.pk}/view").status_code == 404
        found = client.get(f"{API}/articles", {"q": article.title}).json()
        assert found["results"] == []


def test_scheduled_article_appears_when_due(client, content, time_machine):
    time_machine.move_to(timezone.now() + timedelta(days=2))
    ids = {a["id"] for a in client.get(f"{API}/articles").json()["results"]}
    assert content["scheduled"].pk in ids


# --- Filters, pagination, fields --------------------------------------------------------


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


def test_extreme_dates_are_clamped_not_errors(client, content):
    assert _ids(client, published_after="0001-01-01T00:00:00+14:00") == [
        content["live"].pk,
        content["older"].pk,
    ]
    assert _ids(client, published_after="9999-12-31T23:59:59-12:00") == []


def test_unknown_api_paths_are_json_404s(client, db):
    response = client.get(f"{API}/nothing/here")
    assert response.status_code == 404
    assert response.json()["detail"] == "Not Found"


# --- Reading counts no view; reporting does ---------------------------------------------


def test_reading_through_the_api_counts_no_view(client, content):
    live = content["live"]
    client.get(f"{API}/articles/{live.pk}")
    client.get(f"{API}/sections/company-news/articles/{live.slug}")
    client.get(f"{API}/articles")
    live.refresh_from_db()
    assert live.views == 0


def test_reporting_a_view_counts_once(client, content):
    live = content["live"]
    url = f"{API}/articles/{live.pk}/view"
    first = client.post(url, HTTP_USER_AGENT=BROWSER_UA)
    assert first.status_code == 200
    assert first.json() == {"counted": True, "views": 1}
    live.refresh_from_db()
    assert live.views == 1
    assert live.daily_stats.get().views == 1
    # Same counting rules as the site: a client that keeps the cookie counts once per window.
    again = client.post(url, HTTP_USER_AGENT=BROWSER_UA)
    assert again.json() == {"counted": False, "views": 1}
    # One that keeps no cookie counts again (the site stores no IP to recognise it).
    client.cookies.clear()
    assert client.post(url, HTTP_USER_AGENT=BROWSER_UA).json() == {"counted": True, "views": 2}


def test_bots_reporting_views_are_not_counted(client, content):
    live = content["live"]
    for agent in ("", "curl/8.5.0", "Googlebot/2.1 (+http://www.google.com/bot.html)"):
        response = client.post(f"{API}/articles/{live.pk}/view", HTTP_USER_AGENT=agent)
        assert response.status_code == 200
        assert response.json()["counted"] is False
    live.refresh_from_db()
    assert live.views == 0


def test_view_report_needs_no_csrf_token(content):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"{API}/articles/{content['live'].pk}/view", HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == 200


def test_view_report_is_rate_limited(client, content, settings):
    settings.NEWSROOM_API_VIEW_RATE = "2/min"
    url = f"{API}/articles/{content['live'].pk}/view"
    codes = [client.post(url, HTTP_USER_AGENT=BROWSER_UA).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    # Reads have their own allowance.
    assert client.get(f"{API}/articles").status_code == 200


def test_count_views_off_counts_nothing(client, content, settings):
    settings.NEWSROOM_COUNT_VIEWS = False
    response = client.post(f"{API}/articles/{content['live'].pk}/view", HTTP_USER_AGENT=BROWSER_UA)
    assert response.json()["counted"] is False


# --- HTTP caching -----------------------------------------------------------------------


def test_etag_and_304(client, content):
    url = f"{API}/articles/{content['live'].pk}"
    first = client.get(url)
    etag = first["ETag"]
    assert etag.startswith('"')
    assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    # An edit changes the representation, so the old ETag no longer matches.
    live = Article.objects.get(pk=content["live"].pk)
    live.title = "Riverside line opens early"
    live.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_last_modified_and_if_modified_since(client, content):
    url = f"{API}/articles/{content['live'].pk}"
    first = client.get(url)
    assert first["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    long_ago = http_date((timezone.now() - timedelta(days=30)).timestamp())
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=long_ago).status_code == 200


def test_list_etag_changes_when_an_article_goes_away(client, content):
    url = f"{API}/articles"
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    Article.objects.filter(pk=content["older"].pk).update(status=Article.Status.DRAFT)
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_head_is_answered_without_body(client, content):
    response = client.head(f"{API}/articles")
    assert response.status_code == 200
    assert response.content == b""
    assert response["ETag"]


# --- CORS -------------------------------------------------------------------------------


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


# --- Rate limit -------------------------------------------------------------------------


def test_anonymous_rate_limit(client, content, settings, openapi):
    settings.NEWSROOM_API_RATE = "3/min"
    codes = [client.get(f"{API}/articles").status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    limited = client.get(f"{API}/articles/{content['live'].pk}")
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited["Cache-Control"] == "no-store"
    validate(openapi, "Error", limited.json())
    # Another client is not affected; neither are clients once the limit is off.
    other = client.get(f"{API}/articles", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200
    settings.NEWSROOM_API_RATE = "off"
    assert client.get(f"{API}/articles").status_code == 200


def test_forged_forwarded_for_does_not_escape_the_limit(client, db, settings):
    settings.NEWSROOM_API_RATE = "2/min"
    codes = [
        client.get(f"{API}/sections", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]


# --- Query budget -----------------------------------------------------------------------


@pytest.fixture
def many(make_article, make_image, section):
    cover = make_image("many.jpg")
    return [make_article(cover=cover, tags=[f"tag{n % 4}", "all"]) for n in range(30)]


@pytest.mark.parametrize("page_size", [1, 10, 50])
def test_list_query_budget(client, many, django_assert_max_num_queries, page_size):
    cache.clear()  # cold section tree too
    with django_assert_max_num_queries(3):
        response = client.get(f"{API}/articles?page_size={page_size}")
    assert len(response.json()["results"]) == min(page_size, 30)
    with django_assert_max_num_queries(3):
        client.get(f"{API}/articles?page_size={page_size}&section=news-center&tag=all")
    with django_assert_max_num_queries(3):
        client.get(f"{API}/articles?page_size={page_size}&page=99")


def test_list_gives_each_article_its_own_tags_sorted(client, many):
    results = client.get(f"{API}/articles?page_size=50").json()["results"]
    assert len(results) == 30
    expected = {a.pk: sorted(["all", f"tag{n % 4}"]) for n, a in enumerate(many)}
    assert {r["id"]: [t["name"] for t in r["tags"]] for r in results} == expected
    assert all(t["slug"] == t["name"] for r in results for t in r["tags"])


def test_detail_query_budget(client, many, django_assert_max_num_queries):
    article = many[0]
    with django_assert_max_num_queries(3):
        assert client.get(f"{API}/articles/{article.pk}").status_code == 200
    with django_assert_max_num_queries(3):
        path = f"{API}/sections/company-news/articles/{article.slug}"
        assert client.get(path).status_code == 200


def test_sections_query_budget(client, many, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        client.get(f"{API}/sections")
    with django_assert_max_num_queries(0):
        client.get(f"{API}/sections")


# --- Docs in a real browser, under the site's CSP ---------------------------------------


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
