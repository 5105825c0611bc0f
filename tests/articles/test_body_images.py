"""Library images on the reader's pages: covers, lists and bodies get responsive <picture>s."""

import re

import pytest

from articles import rendering
from media.models import Image
from tests.support.pictures import photo, submit

IMG_TAG = re.compile(r"<img\b[^>]*>")


def check_every_img(html):
    tags = [tag for tag in IMG_TAG.findall(html) if 'src="/static/' not in tag]  # not the logo
    assert tags
    for tag in tags:
        for attribute in ("srcset=", "sizes=", "width=", "height=", "alt=", 'decoding="async"'):
            assert attribute in tag, (attribute, tag)
    return tags


@pytest.mark.django_db
def test_pages_give_every_image_srcset_size_and_webp(
    client, make_article, django_assert_max_num_queries
):
    cover = submit("cover.jpg", photo("JPEG", (2000, 1200)), credit="Ana Photo").save()
    inline = submit("inline.png", photo("PNG", (900, 600)), credit="Ben Lens").save()
    body = (
        "<p>Intro</p>"
        f'<figure><img src="{inline.file.url}" alt="Inline" width="900" height="600">'
        "<figcaption>Harbour at dawn</figcaption></figure><p>More</p>"
        f'<figure><img src="{cover.file.url}" alt="Again"></figure>'
    )
    article = make_article(cover=cover, body=body)
    for n in range(3):
        make_article(cover=cover, title=f"Other {n}")
    with django_assert_max_num_queries(8):
        response = client.get(article.get_absolute_url())
    html = response.content.decode()
    tags = check_every_img(html)
    assert len(tags) == 3
    assert html.count('<source type="image/webp"') == 3
    assert 'fetchpriority="high"' in tags[0] and "loading" not in tags[0]  # the cover
    assert all('loading="lazy"' in tag for tag in tags[1:])  # body images
    assert "Harbour at dawn" in html and "Ben Lens" in html and "Ana Photo" in html
    assert 'alt="Inline"' not in html  # the library's alt text wins
    for url in ("/", article.section.get_absolute_url()):
        listing = client.get(url).content.decode()
        check_every_img(listing)


@pytest.mark.django_db
def test_body_images_come_from_one_query(make_article, django_assert_num_queries):
    pictures = [submit(f"p{n}.jpg", photo("JPEG", (600, 400))).save() for n in range(5)]
    body = "".join(f'<figure><img src="{p.file.url}" alt="p"></figure>' for p in pictures)
    article = make_article(body=body)
    with django_assert_num_queries(1):
        html = str(rendering.render_body(article))
    assert html.count("<picture>") == 5


@pytest.mark.django_db
def test_missing_file_or_unknown_image_leaves_the_figure_out(
    client, make_article, caplog, settings
):
    gone = submit("gone.jpg", photo("JPEG", (600, 400))).save()
    storage = gone.file.storage
    for entry in gone.renditions.values():
        storage.delete(entry["name"])
    storage.delete(gone.file.name)
    Image.objects.filter(pk=gone.pk).update(renditions={})
    body = (
        f'<figure><img src="{gone.file.url}" alt="a"><figcaption>Lost</figcaption></figure>'
        '<figure><img src="/media/images/2020/01/deleted.jpg" alt="b">'
        "<figcaption>Unknown</figcaption></figure><p>Still here</p>"
    )
    article = make_article(body=body, cover=gone)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Still here" in html
    body = html[html.index('class="article__body"') : html.index("Still here")]
    assert "Lost" not in body and "Unknown" not in body and "<img" not in body
    assert "<img" not in html[html.index("<main") :]  # the cover is left out too
    assert "is missing from storage" in caplog.text
    assert "not in the image library" in caplog.text
