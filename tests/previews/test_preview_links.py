"""Shareable preview links: the page an outside reader opens, and who may make links."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from previews.links import token_for, url_for
from previews.models import PreviewLink
from readership.models import DailyStat

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def draft(make_article, writer):
    return make_article(
        title="Merger talks, draft", status=Status.DRAFT, author=writer, body="<p>Secret plan.</p>"
    )


@pytest.fixture
def link(draft, editor):
    return PreviewLink.objects.create(article=draft, created_by=editor)


def test_the_link_shows_the_draft_with_a_banner_noindex_and_no_shared_cache(client, link):
    response = client.get(url_for(link))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Merger talks, draft" in html and "Secret plan." in html
    assert "Preview: not published" in html
    assert '<meta name="robots" content="noindex' in html
    assert response["X-Robots-Tag"].startswith("noindex")
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert 'rel="canonical"' not in html


def test_opening_a_preview_counts_no_view_and_sets_no_cookie(client, link, settings):
    for mode in ["server", "beacon"]:
        settings.NEWSROOM_VIEW_COUNTING = mode
        response = client.get(url_for(link))
        assert "beacon.js" not in response.content.decode()
        assert "nr_seen" not in response.cookies
    link.article.refresh_from_db()
    assert link.article.views == 0
    assert not DailyStat.objects.exists()


def test_a_tampered_token_is_a_styled_404(client, link):
    token = token_for(link)
    other_ids = token.replace(f"{link.pk}-", f"{link.pk + 1}-", 1)
    for bad in [token[:-2] + "xx", other_ids, "nonsense", f"{link.pk}-{link.article_id}"]:
        response = client.get(f"/preview/{bad}/")
        assert response.status_code == 404, bad
        assert b"<main" in response.content


def test_a_link_for_one_article_cannot_show_another(client, link, make_article, writer):
    other = make_article(title="Other draft", status=Status.DRAFT, author=writer)
    # A genuine link row pointed at another article after signing no longer matches the token.
    token = token_for(link)
    PreviewLink.objects.filter(pk=link.pk).update(article=other)
    assert client.get(f"/preview/{token}/").status_code == 404


def test_expired_and_revoked_links_are_404(client, link):
    url = url_for(link)
    link.expires_at = timezone.now() - timedelta(seconds=1)
    link.save()
    assert client.get(url).status_code == 404
    link.expires_at = timezone.now() + timedelta(days=1)
    link.revoked_at = timezone.now()
    link.save()
    assert client.get(url).status_code == 404


def test_a_link_to_an_article_published_since_redirects_to_its_page(client, link):
    article = link.article
    article.status = Status.PUBLISHED
    article.published_at = timezone.now() - timedelta(minutes=1)
    article.save()
    response = client.get(url_for(link))
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()


def test_the_default_life_is_seven_days(link):
    life = link.expires_at - link.created_at
    assert timedelta(days=6, hours=23) < life < timedelta(days=7, seconds=1)


def test_a_head_or_post_is_not_a_page(client, link):
    assert client.post(url_for(link)).status_code == 405


def test_the_staffs_own_preview_by_id_still_answers(editor_client, link):
    assert url_for(link) != f"/preview/{link.article_id}/"
    response = editor_client.get(f"/preview/{link.article_id}/")
    assert response.status_code == 200
    assert response.resolver_match.namespace == "articles"
