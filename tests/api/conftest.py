"""Fixtures of the API's tests: content in every state, and the API's own OpenAPI schema."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Section


@pytest.fixture(scope="module")
def openapi():
    from api.v1 import api

    # Through JSON, as clients read it (status codes become strings).
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))


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


@pytest.fixture
def many(make_article, make_image, section):
    cover = make_image("many.jpg")
    return [make_article(cover=cover, tags=[f"tag{n % 4}", "all"]) for n in range(30)]
