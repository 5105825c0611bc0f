"""What the API shows of articles and sections: everything an app needs, and only live articles."""

from datetime import timedelta

from django.utils import timezone

from articles.models import Article
from tests.api.helpers import API


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


def test_reading_through_the_api_counts_no_view(client, content):
    live = content["live"]
    client.get(f"{API}/articles/{live.pk}")
    client.get(f"{API}/sections/company-news/articles/{live.slug}")
    client.get(f"{API}/articles")
    live.refresh_from_db()
    assert live.views == 0
