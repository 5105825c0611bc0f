"""HTTP semantics of the API's answers: ETags and 304s, Last-Modified, HEAD, OPTIONS and 405s."""

from datetime import timedelta

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import http_date

from api.middleware import finish
from articles.models import Article
from tests.api.helpers import API


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


def test_head_answers_like_get_without_the_body(client, content):
    url = f"{API}/articles/{content['live'].pk}"
    get, head = client.get(url), client.head(url)
    assert (head.status_code, head.content) == (200, b"")
    assert head["ETag"] == get["ETag"]
    assert head["Last-Modified"] == get["Last-Modified"]
    assert client.head(url, HTTP_IF_NONE_MATCH=get["ETag"]).status_code == 304


def test_the_middleware_itself_drops_heads_body(rf):
    """Django's test client drops a HEAD body on its own; a WSGI server gets it dropped here."""
    response = finish(rf.head(f"{API}/sections"), HttpResponse(b"[]"))
    assert response.content == b""
    assert response["ETag"]


def test_405_lists_every_method_the_path_allows(client, content):
    put = client.put(f"{API}/articles")
    assert (put.status_code, put["Allow"]) == (405, "GET, HEAD, OPTIONS")
    delete = client.delete(f"{API}/articles/{content['live'].pk}/view")
    assert (delete.status_code, delete["Allow"]) == (405, "POST, OPTIONS")


def test_options_says_which_methods_a_path_allows(client, content):
    live = content["live"].pk
    for path, allow in [
        ("/articles", "GET, HEAD, OPTIONS"),
        (f"/articles/{live}", "GET, HEAD, OPTIONS"),
        (f"/articles/{live}/view", "POST, OPTIONS"),
        ("/openapi.json", "GET, HEAD, OPTIONS"),
        ("/no/such/path", "GET, HEAD, OPTIONS"),
    ]:
        response = client.options(API + path)
        assert (response.status_code, response["Allow"]) == (204, allow), path
        assert response.content == b""


def test_options_uses_none_of_the_rate_allowance(client, db, settings):
    settings.NEWSROOM_API_RATE = "1/min"
    assert [client.options(f"{API}/sections").status_code for _ in range(3)] == [204] * 3
    assert client.get(f"{API}/sections").status_code == 200
    assert client.get(f"{API}/sections").status_code == 429
