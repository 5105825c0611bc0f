"""Article bodies follow the image library: a replaced file is replaced in every body."""

import pytest

from articles.models import Article
from media.models import Image
from tests.support.pictures import photo, replace_through_admin, submit


@pytest.mark.django_db
def test_replacing_an_image_file_rewrites_article_bodies(
    client, editor, make_article, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    image = submit("first.jpg", photo("JPEG", (1000, 700))).save()
    old_url = image.file.url
    article = make_article(body=f'<figure><img src="{old_url}" alt="a"></figure>')
    other = make_article(body="<p>No pictures here.</p>")
    replace_through_admin(client, image, django_capture_on_commit_callbacks)
    article.refresh_from_db()
    assert image.file.url in article.body and old_url not in article.body
    other.refresh_from_db()
    assert other.body == "<p>No pictures here.</p>"


def test_article_cover_is_a_library_image():
    assert Article._meta.get_field("cover").related_model is Image
