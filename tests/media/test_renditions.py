"""Renditions: every allowed type gets its widths and social card, never upscaled; rebuilds."""

import io

import pytest
from django.core.management import call_command
from PIL import Image as PILImage

from media import html
from media.models import Image
from media.renditions import avif_supported, plan_widths, social_box
from tests.support.pictures import media_files, photo, stored, submit

ALLOWED = [
    ("photo.jpg", "JPEG", {"quality": 90}, ".jpg"),
    ("graphic.png", "PNG", {}, ".png"),
    ("photo.webp", "WEBP", {"quality": 90}, ".webp"),
    ("anim.gif", "GIF", {}, ".gif"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "fmt", "options", "ext"), ALLOWED)
def test_each_allowed_type_is_accepted_cleaned_and_rendered(settings, name, fmt, options, ext):
    mode = "RGBA" if fmt == "PNG" else "RGB"
    data = photo(fmt, (1000, 700), mode=mode, **options)
    form = submit(name, data)
    assert form.is_valid(), form.errors
    image = form.save()
    image.refresh_from_db()
    assert (image.width, image.height) == (1000, 700)
    assert len(image.file_hash) == 64
    assert image.file.name.endswith(ext)
    widths = sorted({e["width"] for k, e in image.renditions.items() if k != "social.jpg"})
    assert widths == [480, 1000]  # 960 is too close to 1000: the source width is used instead
    assert set(image.renditions) >= {"480.webp", "1000.webp", "social.jpg"}
    fallback = "png" if fmt == "PNG" else "jpg"
    assert f"480.{fallback}" in image.renditions
    for key, entry in image.renditions.items():
        with PILImage.open(io.BytesIO(stored(image, key))) as served:
            assert served.size == (entry["width"], entry["height"])
            assert served.width <= image.width  # never upscaled
    social = image.renditions["social.jpg"]
    assert (social["width"], social["height"]) == (1000, 525)  # 1.91:1, not upscaled
    files = media_files(settings)
    assert image.file.name in files
    assert all(e["name"] in files for e in image.renditions.values())


@pytest.mark.django_db
def test_large_jpeg_gets_all_widths_and_a_full_social_card():
    form = submit("big.jpg", photo("JPEG", (3000, 2000)))
    assert form.is_valid(), form.errors
    image = form.save()
    keys = set(image.renditions)
    formats = ("avif", "webp", "jpg") if avif_supported() else ("webp", "jpg")
    assert keys == {f"{w}.{e}" for w in (480, 960, 1600) for e in formats} | {"social.jpg"}
    assert (image.renditions["social.jpg"]["width"], image.renditions["social.jpg"]["height"]) == (
        1200,
        630,
    )
    # Smaller than the upload, and WebP smaller than JPEG at the same width.
    original = len(stored(image))
    assert len(stored(image, "1600.jpg")) < original
    assert len(stored(image, "1600.webp")) < len(stored(image, "1600.jpg"))


@pytest.mark.django_db
def test_small_image_is_never_upscaled():
    image = submit("tiny.png", photo("PNG", (300, 120))).save()
    widths = {e["width"] for k, e in image.renditions.items() if k != "social.jpg"}
    assert widths == {300}


def test_plan_widths_has_no_duplicates_and_no_upscaling():
    assert plan_widths(6000) == [480, 960, 1600]
    assert plan_widths(1600) == [480, 960, 1600]
    assert plan_widths(1000) == [480, 1000]
    assert plan_widths(500) == [500]
    assert plan_widths(100) == [100]


def test_social_box_is_a_centred_crop_a_little_above_the_middle():
    # Tall for 1.91:1: full width, 40% of the spare height above the crop, 60% below.
    assert social_box(3000, 2000) == ((0, 170, 3000, 1745), (1200, 630))
    assert social_box(4000, 1000).box == (1047, 0, 2952, 1000)  # wide: the sides go
    assert social_box(1000, 700).size == (1000, 525)  # never upscaled


@pytest.mark.django_db
def test_image_without_renditions_falls_back_and_command_rebuilds(settings):
    image = submit("old.jpg", photo("JPEG", (1000, 700))).save()
    storage = image.file.storage
    for entry in image.renditions.values():
        storage.delete(entry["name"])
    Image.objects.filter(pk=image.pk).update(renditions={})
    image.refresh_from_db()
    picture = html.picture_html(image)
    assert f'src="{image.file.url}"' in picture and "1000w" in picture
    assert 'width="1000"' in picture
    out = io.StringIO()
    call_command("build_renditions", stdout=out)
    image.refresh_from_db()
    assert "1 image" in out.getvalue()
    assert "960.webp" not in image.renditions and "1000.webp" in image.renditions
    assert all(e["name"] in media_files(settings) for e in image.renditions.values())
