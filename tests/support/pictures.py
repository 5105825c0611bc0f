"""Realistic pictures for image-library tests, and uploads through the library's own form."""

import io
import struct
import zlib
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags
from PIL import Image as PILImage

from media.forms import ImageAdminForm

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
    """A small PNG that claims side x side pixels (1-bit, all zero): a decompression bomb."""

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
    """Every file under MEDIA_ROOT, as storage names."""
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def submit(name, data, **fields):
    """The image admin's form, bound to an upload of `data` named `name`."""
    return ImageAdminForm(
        data={"title": fields.get("title", name), "alt_text": "A test picture", **fields},
        files={"file": SimpleUploadedFile(name, data)},
    )


def replace_through_admin(client, image, captured_commits):
    """POST the image's admin change form with a new PNG file, as an editor replacing it does;
    the on-commit work (file cleanup, the replaced-file signal) runs in `captured_commits`."""
    with captured_commits(execute=True):
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
    return response


def stored(image, key=None):
    """The bytes of an image's stored file, or of its rendition `key`."""
    storage = image.file.storage
    name = image.renditions[key]["name"] if key else image.file.name
    with storage.open(name, "rb") as handle:
        return handle.read()
