"""The demo newsroom has writers with author pages."""

import pytest

from articles.models import Article
from media.models import Image
from people.models import Author
from tests.articles.test_demo import load

pytestmark = pytest.mark.django_db


def test_the_demo_has_authors_with_pages_and_articles(client):
    load()
    authors = list(Author.objects.select_related("photo", "user"))
    assert len(authors) == 3
    for author in authors:
        assert author.role and author.bio and author.photo.renditions
        assert not author.user.has_usable_password()
        html = client.get(author.get_absolute_url()).content.decode()
        assert author.name in html and "<picture>" in html
        assert Article.objects.live().filter(author=author.user).exists()
    lead = Article.objects.get(slug="coastal-forum-riverside-line-opens")
    assert lead.author is None  # the newsroom's byline stays the newsroom's
    credited = Article.objects.live().filter(author__isnull=False).first()
    html = client.get(credited.get_absolute_url()).content.decode()
    assert 'rel="author"' in html


def test_loading_twice_adds_no_second_profile_or_portrait():
    load()
    counts = (Author.objects.count(), Image.objects.count())
    load()
    assert (Author.objects.count(), Image.objects.count()) == counts
