"""Metadata stripping: EXIF orientation applied, GPS/EXIF/XMP/comments gone from every file."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import ExifTags, PngImagePlugin
from PIL import Image as PILImage

from media.models import Image
from tests.support.pictures import GPS_IFD, jpeg_with_gps, media_files, photo, stored, submit


@pytest.mark.django_db
def test_exif_orientation_applied_and_gps_stripped_from_every_served_file():
    data = jpeg_with_gps(orientation=6)
    with PILImage.open(io.BytesIO(data)) as source:  # the test file really carries them
        assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert source.getexif()[ExifTags.Base.Orientation] == 6
        assert source.size == (600, 400)
    form = submit("camera.jpg", data)
    assert form.is_valid(), form.errors
    image = form.save()
    assert (image.width, image.height) == (400, 600)  # upright: portrait
    for key in [None, *image.renditions]:
        raw = stored(image, key)
        assert b"Exif" not in raw
        assert b"SpyCam" not in raw
        assert b"secret comment" not in raw
        with PILImage.open(io.BytesIO(raw)) as served:
            assert not served.getexif()
            assert "comment" not in served.info
            rgb = served.convert("RGB")
            if key == "social.jpg":
                continue  # a landscape crop of the middle
            assert served.height > served.width
            top = rgb.getpixel((served.width // 2, served.height // 8))
            bottom = rgb.getpixel((served.width // 2, served.height * 7 // 8))
            # Rotated 90° clockwise: the red left half is now on top.
            assert top[0] > top[2] and bottom[2] > bottom[0], (key, top, bottom)


@pytest.mark.django_db
def test_png_text_webp_exif_and_gif_comments_are_stripped_losslessly():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Secret Person")
    exif = PILImage.Exif()
    exif[ExifTags.IFD.GPSInfo] = GPS_IFD
    cases = [
        ("a.png", photo("PNG", (300, 200), pnginfo=info, exif=exif.tobytes())),
        ("a.webp", photo("WEBP", (300, 200), exif=exif.tobytes(), xmp=b"<x>Secret Person</x>")),
        ("a.gif", photo("GIF", (300, 200), comment=b"Secret Person")),
    ]
    for name, data in cases:
        form = submit(name, data)
        assert form.is_valid(), form.errors
        image = form.save()
        raw = stored(image)
        assert b"Secret Person" not in raw and b"Exif" not in raw, name
        with PILImage.open(io.BytesIO(raw)) as kept, PILImage.open(io.BytesIO(data)) as source:
            assert not kept.getexif()
            if name != "a.webp":  # lossless formats: identical pixels
                assert kept.convert("RGB").tobytes() == source.convert("RGB").tobytes()


@pytest.mark.django_db
def test_demo_style_committed_files_are_cleaned_too(settings):
    image = Image(title="Demo", alt_text="Demo")
    image.file.save("demo.jpg", ContentFile(jpeg_with_gps()), save=False)
    image.save()
    assert (image.width, image.height) == (400, 600)
    assert b"Exif" not in stored(image)
    assert sorted(media_files(settings)) == sorted(
        {image.file.name} | {e["name"] for e in image.renditions.values()}
    )
