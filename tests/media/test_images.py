"""Image uploads through real forms, metadata stripping, renditions, and the pages' <img> tags."""

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import ExifTags
from PIL import Image as PILImage

from articles import rendering
from articles.models import Article
from media import images
from media.images import ImageForm
from media.models import Image

GPS_IFD = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (52.0, 31.0, 12.5),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (13.0, 24.0, 3.25),
}


def photo(fmt="JPEG", size=(1200, 800), mode="RGB", **save):
    """A picture with detail (so sizes are realistic) and a red left half, blue right half."""
    image = PILImage.linear_gradient("L").resize(size).convert(mode)
    left = PILImage.new(mode, (size[0] // 2, size[1]), (200, 30, 30, 255)[: len(mode)])
    right = PILImage.new(mode, (size[0] - size[0] // 2, size[1]), (30, 30, 200, 255)[: len(mode)])
    image = PILImage.blend(image, image, 0)
    image.paste(left, (0, 0))
    image.paste(right, (size[0] // 2, 0))
    noise = PILImage.effect_noise(size, 24).convert(mode)
    image = PILImage.blend(image, noise, 0.15)
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save)
    return buffer.getvalue()


def jpeg_with_gps(orientation=6):
    exif = PILImage.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "SpyCam"
    exif[ExifTags.IFD.GPSInfo] = GPS_IFD
    return photo("JPEG", (600, 400), exif=exif.tobytes(), comment=b"secret comment")


def png_bomb(side=30000):
    """A tiny PNG that claims side x side pixels (1-bit, all zero): ~100 kB on disk."""

    def chunk(kind, data):
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    compressor = zlib.compressobj(9)
    row = b"\0" * (1 + (side + 7) // 8)
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def media_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def submit(name, data, **fields):
    form = ImageForm(
        data={"title": fields.get("title", name), "alt_text": "A test picture", **fields},
        files={"file": SimpleUploadedFile(name, data)},
    )
    return form


def stored(image, key=None):
    storage = image.file.storage
    name = image.renditions[key]["name"] if key else image.file.name
    with storage.open(name, "rb") as handle:
        return handle.read()


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
    assert keys == {f"{w}.{e}" for w in (480, 960, 1600) for e in ("webp", "jpg")} | {"social.jpg"}
    assert (image.renditions["social.jpg"]["width"], image.renditions["social.jpg"]["height"]) == (
        1200,
        630,
    )
    # Smaller than the upload, and WebP smaller than JPEG at the same width.
    original = len(stored(image))
    assert len(stored(image, "1600.jpg")) < original
    assert len(stored(image, "1600.webp")) < len(stored(image, "1600.jpg"))
    assert images.social_card_url(image).startswith("http://testserver/media/renditions/")
    listed = images.rendition_list(image)
    assert [i["width"] for i in listed if i["type"] == "image/webp"] == [480, 960, 1600]
    assert all(i["url"].startswith("http://testserver/") for i in listed)


REFUSED = [
    ("bomb.png", png_bomb(), "cannot be processed safely"),
    ("cut.jpg", photo("JPEG", (800, 600))[:9000], "damaged or incomplete"),
    ("page.jpg", b"<!doctype html><html><script>alert(1)</script></html>", "not a JPEG, PNG"),
    (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9">'
        b"<script>alert(1)</script></svg>",
        "not a JPEG, PNG",
    ),
    ("svg-named.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "not a"),
    ("empty.jpg", b"", "empty"),
    ("photo.bmp", photo("BMP", (100, 100)), "not a JPEG, PNG"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "data", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_bad_uploads_are_refused_with_a_clear_error_and_leave_nothing(
    settings, name, data, message
):
    form = submit(name, data)
    assert not form.is_valid()
    assert message in " ".join(form.errors["file"])
    assert Image.objects.count() == 0
    assert media_files(settings) == []


@pytest.mark.django_db
def test_oversize_file_and_too_many_pixels_are_refused(settings):
    settings.NEWSROOM_MAX_UPLOAD_MB = 0.05
    form = submit("huge.jpg", photo("JPEG", (1200, 900), quality=95))
    assert not form.is_valid()
    assert "This file is 0.3 MB; uploads can be at most 0.05 MB." in form.errors["file"][0]
    settings.NEWSROOM_MAX_UPLOAD_MB = 20
    settings.NEWSROOM_MAX_IMAGE_PIXELS = 1_000_000
    form = submit("wide.png", photo("PNG", (1500, 800)))
    assert not form.is_valid()
    assert "1500×800 pixels (1.2 megapixels); the limit is 1 megapixels" in form.errors["file"][0]
    assert media_files(settings) == []


@pytest.mark.django_db
def test_model_full_clean_shares_the_same_checks(settings):
    image = Image(title="x", alt_text="x")
    image.file = SimpleUploadedFile("x.jpg", b"<html></html>")
    with pytest.raises(Exception) as info:
        image.full_clean()
    assert "not a JPEG, PNG" in str(info.value)
    with pytest.raises(Exception):  # code that skips validation cannot store it either
        image.save()
    assert media_files(settings) == []


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
    from PIL import PngImagePlugin

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
def test_small_image_is_never_upscaled():
    image = submit("tiny.png", photo("PNG", (300, 120))).save()
    widths = {e["width"] for k, e in image.renditions.items() if k != "social.jpg"}
    assert widths == {300}
    html = images.picture_html(image)
    srcset = re.search(r'<img[^>]* srcset="([^"]*)"', html).group(1)
    assert srcset.count(" 300w") == 1


# --- Admin --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_upload_by_editor_and_clear_error(client, editor, settings):
    client.force_login(editor)
    url = reverse("admin:media_image_add")
    page = client.get(url)
    assert page.status_code == 200
    assert 'accept="image/jpeg,image/png,image/webp,image/gif"' in page.content.decode()
    bad = client.post(
        url,
        {"title": "Fake", "alt_text": "x", "file": SimpleUploadedFile("x.jpg", b"<html></html>")},
    )
    assert bad.status_code == 200
    assert "not a JPEG, PNG, WebP or GIF image" in bad.content.decode()
    assert media_files(settings) == []
    good = client.post(
        url,
        {
            "title": "Harbour",
            "alt_text": "Cranes at the harbour",
            "file": SimpleUploadedFile("harbour.jpg", jpeg_with_gps()),
        },
    )
    assert good.status_code == 302, good.content.decode()[:2000]
    image = Image.objects.get(title="Harbour")
    assert image.width == 400 and image.renditions


@pytest.mark.django_db
def test_replacing_and_deleting_remove_old_files(
    client, editor, settings, make_article, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    image = submit("first.jpg", photo("JPEG", (1000, 700))).save()
    old_files = set(media_files(settings))
    old_url = image.file.url
    article = make_article(body=f'<figure><img src="{old_url}" alt="a"></figure>')
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:media_image_change", args=[image.pk]),
            {
                "title": image.title,
                "alt_text": image.alt_text,
                "file": SimpleUploadedFile("second.png", photo("PNG", (800, 600))),
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    image.refresh_from_db()
    assert image.file.name.endswith(".png") and image.width == 800
    now = set(media_files(settings))
    assert not (old_files & now)  # old original and renditions are gone
    assert now == {image.file.name} | {e["name"] for e in image.renditions.values()}
    article.refresh_from_db()
    assert image.file.url in article.body and old_url not in article.body
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert media_files(settings) == []


@pytest.mark.django_db
def test_identical_images_share_renditions_until_the_last_goes(
    settings, django_capture_on_commit_callbacks
):
    data = photo("JPEG", (700, 500))
    first = submit("one.jpg", data).save()
    second = submit("two.jpg", data).save()
    assert first.renditions["480.webp"] == second.renditions["480.webp"]
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert second.renditions["480.webp"]["name"] in media_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        second.delete()
    assert media_files(settings) == []


# --- Pages ----------------------------------------------------------------------------------------

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


@pytest.mark.django_db
def test_image_without_renditions_falls_back_and_command_rebuilds(settings):
    image = submit("old.jpg", photo("JPEG", (1000, 700))).save()
    storage = image.file.storage
    for entry in image.renditions.values():
        storage.delete(entry["name"])
    Image.objects.filter(pk=image.pk).update(renditions={})
    image.refresh_from_db()
    html = images.picture_html(image)
    assert f'src="{image.file.url}"' in html and "1000w" in html and 'width="1000"' in html
    out = io.StringIO()
    call_command("build_renditions", stdout=out)
    image.refresh_from_db()
    assert "1 image" in out.getvalue()
    assert "960.webp" not in image.renditions and "1000.webp" in image.renditions
    assert all(e["name"] in media_files(settings) for e in image.renditions.values())


@pytest.mark.django_db
def test_demo_style_committed_files_are_cleaned_too(settings):
    from django.core.files.base import ContentFile

    image = Image(title="Demo", alt_text="Demo")
    image.file.save("demo.jpg", ContentFile(jpeg_with_gps()), save=False)
    image.save()
    assert (image.width, image.height) == (400, 600)
    assert b"Exif" not in stored(image)
    assert sorted(media_files(settings)) == sorted(
        {image.file.name} | {e["name"] for e in image.renditions.values()}
    )


def test_plan_widths_has_no_duplicates_and_no_upscaling():
    assert images.plan_widths(6000) == [480, 960, 1600]
    assert images.plan_widths(1600) == [480, 960, 1600]
    assert images.plan_widths(1000) == [480, 1000]
    assert images.plan_widths(500) == [500]
    assert images.plan_widths(100) == [100]


def test_article_model_untouched():
    assert Article._meta.get_field("cover").related_model is Image
