"""Which uploads the image library accepts: one judge, `inspect_image`, for every path in.

A file is judged by its content (Pillow, never its name): JPEG, PNG, WebP or GIF, within
``NEWSROOM_MAX_UPLOAD_MB`` and ``NEWSROOM_MAX_IMAGE_PIXELS``, and fully decodable (no bombs,
no truncated files, no HTML or SVG in disguise). A refused file never reaches storage.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import UnidentifiedImageError

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
MIME_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "gif": "image/gif",
    "avif": "image/avif",  # renditions only: uploads are the four formats above
}
ACCEPT = "image/jpeg,image/png,image/webp,image/gif"
MAX_FRAMES = 500

MESSAGES = {
    "empty": _("The file is empty."),
    "too_large": _("This file is %(size)s MB; uploads can be at most %(limit)s MB."),
    "not_image": _(
        "This file is not a JPEG, PNG, WebP or GIF image. Files are judged by their content, "
        "not their name: SVG, HTML and other formats are refused."
    ),
    "too_many_pixels": _(
        "This image is %(width)s×%(height)s pixels (%(mp)s megapixels); "
        "the limit is %(limit)s megapixels. Please upload a smaller version."
    ),
    "bomb": _(
        "This image claims far more pixels than the limit of %(limit)s megapixels and cannot "
        "be processed safely."
    ),
    "too_many_frames": _("This animation has %(frames)s frames; the limit is %(limit)s."),
    "corrupt": _(
        "This image is damaged or incomplete (for example cut short during upload) and cannot "
        "be read. Please export it again and upload the new file."
    ),
}


def upload_error(code, **params) -> ValidationError:
    """The ValidationError an editor sees for a refused file (`code` is a MESSAGES key)."""
    return ValidationError(MESSAGES[code], code=code, params=params or None)


@dataclass(frozen=True)
class Inspected:
    """What an accepted file is: its format (a Pillow name), its size and its frame count."""

    format: str
    width: int
    height: int
    frames: int


def max_upload_bytes() -> int:
    return int(settings.NEWSROOM_MAX_UPLOAD_MB * 1024 * 1024)


def max_pixels() -> int:
    return settings.NEWSROOM_MAX_IMAGE_PIXELS


def read_bytes(fileobj) -> bytes:
    """The whole content of an uploaded or stored file, leaving its position at 0."""
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)
    data = fileobj.read()
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)
    return data


def _megapixels(pixels):
    return f"{pixels / 1_000_000:.1f}".removesuffix(".0")


def check_size(size: int) -> None:
    if size == 0:
        raise upload_error("empty")
    if size > max_upload_bytes():
        limit = f"{settings.NEWSROOM_MAX_UPLOAD_MB:g}"
        raise upload_error("too_large", size=f"{size / 1024 / 1024:.1f}", limit=limit)


def _open(data: bytes, limit: int) -> PILImage.Image:
    """Open `data` as one of the allowed formats (bomb warnings must be errors by now)."""
    try:
        return PILImage.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise upload_error("bomb", limit=_megapixels(limit)) from None
    except UnidentifiedImageError:
        raise upload_error("not_image") from None
    except Exception:
        raise upload_error("corrupt") from None


def _check_dimensions(width: int, height: int, limit: int) -> None:
    if width < 1 or height < 1:
        raise upload_error("corrupt")
    if width * height > limit:
        raise upload_error(
            "too_many_pixels",
            width=width,
            height=height,
            mp=_megapixels(width * height),
            limit=_megapixels(limit),
        )


def _decode_every_frame(image: PILImage.Image) -> int:
    """Decode the whole file (a truncated one fails here); return its frame count."""
    width, height = image.size
    try:
        frames = getattr(image, "n_frames", 1)
        if frames > MAX_FRAMES:
            raise upload_error("too_many_frames", frames=frames, limit=MAX_FRAMES)
        if image.format == "JPEG":
            # Decoding at 1/8 scale still reads every byte: truncation is caught, fast.
            image.draft(None, (max(1, width // 8), max(1, height // 8)))
        for frame in range(frames):
            image.seek(frame)
            image.load()
    except ValidationError:
        raise
    except Exception:
        raise upload_error("corrupt") from None
    return frames


def _verify_png_checksums(data: bytes) -> None:
    """Check every chunk's CRC, which load() does not."""
    try:
        with PILImage.open(io.BytesIO(data), formats=("PNG",)) as again:
            again.verify()
    except Exception:
        raise upload_error("corrupt") from None


def inspect_image(data: bytes) -> Inspected:
    """Judge bytes as an upload; raise ValidationError with a clear message, or describe them."""
    check_size(len(data))
    limit = max_pixels()
    with warnings.catch_warnings():
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        with _open(data, limit) as image:
            width, height = image.size
            _check_dimensions(width, height, limit)
            frames = _decode_every_frame(image)
            fmt = image.format
    if fmt == "PNG":
        _verify_png_checksums(data)
    return Inspected(fmt, width, height, frames)


def validate_upload(fileobj) -> Inspected:
    """Validate an uploaded file object once; the verdict is remembered on the object."""
    cached = getattr(fileobj, "_newsroom_inspected", None)
    if cached is not None:
        return cached
    size = getattr(fileobj, "size", None)
    if size is not None:
        check_size(size)  # before reading a byte of an oversize file
    info = inspect_image(read_bytes(fileobj))
    with contextlib.suppress(AttributeError):  # exotic file objects just are not cached
        fileobj._newsroom_inspected = info
    return info


def validate_image_file(value) -> None:
    """`Image.file`'s validator (full_clean): a new upload must pass `inspect_image`.

    Files already in storage are trusted: they were judged when they came in.
    """
    if value and not getattr(value, "_committed", True) and value.file is not None:
        validate_upload(value.file)
