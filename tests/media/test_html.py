"""Library images as HTML: <picture> srcsets, the social card and the API's rendition list."""

import re

import pytest

from media import html
from media.models import Image
from tests.support.pictures import photo, submit


@pytest.mark.django_db
def test_picture_has_webp_source_fallback_srcset_and_size():
    image = submit("big.jpg", photo("JPEG", (3000, 2000)), credit="Ana Photo").save()
    picture = html.picture_html(image, sizes="50vw", lazy=False, priority=True)
    assert picture.startswith("<picture><source type=")
    assert '<source type="image/webp" srcset="' in picture  # after AVIF, when Pillow writes it
    img = re.search(r"<img[^>]*>", picture).group(0)
    assert img.count("w, ") == 2 and 'sizes="50vw"' in img  # three JPEG widths
    assert 'width="3000" height="2000"' in img and 'alt="A test picture"' in img
    assert 'fetchpriority="high"' in img and "loading" not in img
    assert f'src="{image.file.storage.url(image.renditions["960.jpg"]["name"])}"' in img
    assert html.credit_html(image) == '<span class="credit">Ana Photo</span>'


@pytest.mark.django_db
def test_social_card_and_rendition_list_have_absolute_urls():
    image = submit("big.jpg", photo("JPEG", (3000, 2000))).save()
    assert html.social_card_url(image).startswith("http://testserver/media/renditions/")
    card = html.social_card(image)
    assert (card["width"], card["height"], card["type"]) == (1200, 630, "image/jpeg")
    listed = html.rendition_list(image)
    assert [i["width"] for i in listed if i["type"] == "image/webp"] == [480, 960, 1600]
    assert all(i["url"].startswith("http://testserver/") for i in listed)
    assert listed[-1]["social"] and not any(i["social"] for i in listed[:-1])


@pytest.mark.django_db
def test_small_image_srcset_names_its_one_width_once():
    image = submit("tiny.png", photo("PNG", (300, 120))).save()
    picture = html.picture_html(image)
    srcset = re.search(r'<img[^>]* srcset="([^"]*)"', picture).group(1)
    assert srcset.count(" 300w") == 1


@pytest.mark.django_db
def test_missing_file_renders_nothing_and_is_logged(caplog):
    image = submit("gone.jpg", photo("JPEG", (600, 400))).save()
    image.file.storage.delete(image.file.name)
    Image.objects.filter(pk=image.pk).update(renditions={})
    image.refresh_from_db()
    assert html.file_is_missing(image)
    assert html.picture_html(image) == ""
    assert "is missing from storage" in caplog.text
    assert html.picture_html(None) == ""
    assert html.social_card_url(None) is None and html.rendition_list(None) == []
