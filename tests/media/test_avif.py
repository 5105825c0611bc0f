"""AVIF renditions: made when Pillow can write them, offered first, and never required."""

import io
import re

import pytest
from django.core import checks
from django.core.management import call_command
from PIL import Image as PILImage

from media import html, renditions
from media.checks import check_avif
from tests.support.pictures import media_files, photo, stored, submit

pytestmark = pytest.mark.skipif(
    not renditions.avif_supported(), reason="this Pillow cannot write AVIF"
)

AVIF_KEYS = {f"{w}.avif" for w in (480, 960, 1600)}


def _without_avif(monkeypatch):
    monkeypatch.setattr(renditions, "avif_supported", lambda: False)


def source_types(picture):
    return re.findall(r'<source type="([^"]+)"', picture)


@pytest.mark.django_db
def test_each_width_gets_an_avif_that_decodes_as_avif_and_is_offered_first():
    image = submit("big.jpg", photo("JPEG", (3000, 2000))).save()
    assert set(image.renditions) >= AVIF_KEYS
    for key in AVIF_KEYS:
        with PILImage.open(io.BytesIO(stored(image, key))) as served:
            assert served.format == "AVIF"
            entry = image.renditions[key]
            assert served.size == (entry["width"], entry["height"])
    assert len(stored(image, "1600.avif")) < len(stored(image, "1600.jpg"))
    picture = html.picture_html(image)
    assert source_types(picture) == ["image/avif", "image/webp"]
    avif_srcset = re.search(r'<source type="image/avif" srcset="([^"]+)"', picture).group(1)
    assert avif_srcset.count(".avif ") == 3
    # A browser that knows neither AVIF nor WebP takes the <img>: JPEG.
    img_srcset = re.search(r'<img[^>]* srcset="([^"]+)"', picture).group(1)
    assert ".jpg 480w" in img_srcset and ".avif" not in img_srcset and ".webp" not in img_srcset
    listed = {item["type"] for item in html.rendition_list(image)}
    assert "image/avif" in listed


@pytest.mark.django_db
def test_transparent_png_keeps_its_alpha_in_avif():
    logo = PILImage.new("RGBA", (800, 500), (0, 0, 0, 0))
    logo.paste((200, 30, 30, 255), (100, 100, 700, 400))
    buffer = io.BytesIO()
    logo.save(buffer, "PNG")
    image = submit("logo.png", buffer.getvalue()).save()
    with PILImage.open(io.BytesIO(stored(image, "800.avif"))) as served:
        assert served.format == "AVIF" and served.mode == "RGBA"
        assert served.getpixel((10, 10))[3] < 16 and served.getpixel((400, 250))[3] > 240
    assert "800.png" in image.renditions


@pytest.mark.django_db
def test_without_avif_support_pages_offer_webp_then_jpeg(monkeypatch):
    _without_avif(monkeypatch)
    image = submit("big.jpg", photo("JPEG", (3000, 2000))).save()
    assert not any(key.endswith(".avif") for key in image.renditions)
    assert source_types(html.picture_html(image)) == ["image/webp"]
    [message] = check_avif()
    assert message.level == checks.INFO and message.id == "media.I001"


def test_check_is_silent_when_avif_is_supported():
    assert check_avif() == []


@pytest.mark.django_db
def test_build_renditions_adds_only_the_missing_avif(monkeypatch, settings):
    with monkeypatch.context() as patch:
        _without_avif(patch)
        image = submit("big.jpg", photo("JPEG", (3000, 2000))).save()
    webp_name = image.renditions["1600.webp"]["name"]
    webp_before = stored(image, "1600.webp")
    out = io.StringIO()
    call_command("build_renditions", stdout=out)
    image.refresh_from_db()
    assert set(image.renditions) >= AVIF_KEYS
    assert image.renditions["1600.webp"]["name"] == webp_name
    assert stored(image, "1600.webp") == webp_before
    assert "Built renditions for 1 image" in out.getvalue()
    # Complete now: a second run leaves it alone.
    again = io.StringIO()
    call_command("build_renditions", stdout=again)
    assert "Built renditions for 0 images" in again.getvalue()
    assert all(e["name"] in media_files(settings) for e in image.renditions.values())


@pytest.mark.django_db(transaction=True)
def test_deleting_an_image_removes_its_avif_files(settings):
    image = submit("big.jpg", photo("JPEG", (3000, 2000))).save()
    names = [image.renditions[key]["name"] for key in AVIF_KEYS]
    assert set(names) <= set(media_files(settings))
    image.delete()
    assert not set(names) & set(media_files(settings))
