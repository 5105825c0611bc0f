"""Image uploads and renditions: one safe path from an editor's file to a reader's <picture>.

Why this module exists:

* Every upload (admin, any ModelForm, any code calling ``full_clean``) is judged by one function,
  :func:`inspect_image`: JPEG, PNG, WebP or GIF by *content* (Pillow, never the file name), under
  ``NEWSROOM_MAX_UPLOAD_MB`` and ``NEWSROOM_MAX_IMAGE_PIXELS``, fully decodable (no bombs, no
  truncated files, no HTML or SVG in disguise). A refused file never reaches storage.
* On save the file we keep is cleaned: EXIF orientation applied, EXIF/GPS/XMP/IPTC/comments and
  embedded thumbnails removed. Metadata is cut out of the container losslessly (JPEG segments,
  PNG chunks, WebP chunks, GIF extensions); pixels are re-encoded only when a rotation is needed,
  then with the source's own JPEG quantisation tables so quality does not drop.
* Renditions (480/960/1600 wide, WebP plus a JPEG or PNG fallback, and a 1200x630 social card)
  are made once, at upload time, from a JPEG decoded at reduced scale (``draft``), and stored
  through Django's storage API under names keyed by the cleaned file's sha256. Reader requests
  never make images, so a burst of uploads cannot slow pages down; images saved before this code
  (or whose renditions failed) are served from the cleaned original until
  ``manage.py build_renditions`` runs.
* Replacing or deleting an image removes its old file and renditions after the transaction commits.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import math
import os
import struct
import warnings
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Replace
from django.db.models.signals import post_delete, post_init, post_save, pre_save
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import ImageOps, JpegImagePlugin, UnidentifiedImageError

from articles.models import Article
from core import pagecache
from core.site_url import absolute_url
from core.text import clean_text_fields
from media.models import Image

log = logging.getLogger(__name__)

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
MIME_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "gif": "image/gif",
}
ACCEPT = "image/jpeg,image/png,image/webp,image/gif"
WIDTHS = (480, 960, 1600)
SOCIAL_SIZE = (1200, 630)
SOCIAL_KEY = "social.jpg"
MAX_FRAMES = 500
RENDITION_DIR = "renditions"
JPEG_QUALITY = 82
WEBP_QUALITY = 80
WEBP_METHOD = 2  # 0 (fast) .. 6 (small): 2 is ~2.5x faster than 4 for ~2% more bytes
# A target width this close to the source's own width is skipped: the source width is used.
NEAR_SOURCE = 0.9

# What the page layout gives images (see static/css/site.css).
SIZES_BODY = "(min-width: 64rem) 46rem, calc(100vw - 2rem)"
SIZES_CARD = "(min-width: 48rem) 12rem, 7.5rem"
SIZES_CARD_BIG = "(min-width: 64rem) 30rem, (min-width: 48rem) 60vw, calc(100vw - 2rem)"


def max_upload_bytes():
    return int(float(getattr(settings, "NEWSROOM_MAX_UPLOAD_MB", 20)) * 1024 * 1024)


def max_pixels():
    return int(getattr(settings, "NEWSROOM_MAX_IMAGE_PIXELS", 40_000_000))


# --- Validation -------------------------------------------------------------------------------

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


def _error(code, **params):
    return ValidationError(MESSAGES[code], code=code, params=params or None)


@dataclass(frozen=True)
class Inspected:
    format: str
    width: int
    height: int
    frames: int


def read_bytes(fileobj):
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
        raise _error("empty")
    if size > max_upload_bytes():
        limit = f"{float(getattr(settings, 'NEWSROOM_MAX_UPLOAD_MB', 20)):g}"
        raise _error("too_large", size=f"{size / 1024 / 1024:.1f}", limit=limit)


def inspect_image(data: bytes) -> Inspected:
    """Judge bytes as an upload; raise ValidationError with a clear message, or describe them."""
    check_size(len(data))
    limit = max_pixels()
    with warnings.catch_warnings():
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        try:
            image = PILImage.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
            raise _error("bomb", limit=_megapixels(limit)) from None
        except UnidentifiedImageError:
            raise _error("not_image") from None
        except Exception:
            raise _error("corrupt") from None
        with image:
            width, height = image.size
            if width < 1 or height < 1:
                raise _error("corrupt")
            if width * height > limit:
                raise _error(
                    "too_many_pixels",
                    width=width,
                    height=height,
                    mp=_megapixels(width * height),
                    limit=_megapixels(limit),
                )
            try:
                frames = getattr(image, "n_frames", 1)
                if frames > MAX_FRAMES:
                    raise _error("too_many_frames", frames=frames, limit=MAX_FRAMES)
                if image.format == "JPEG":
                    # Decoding at 1/8 scale still reads every byte: truncation is caught, fast.
                    image.draft(None, (max(1, width // 8), max(1, height // 8)))
                for frame in range(frames):
                    image.seek(frame)
                    image.load()
                fmt = image.format
            except ValidationError:
                raise
            except Exception:
                raise _error("corrupt") from None
    if fmt == "PNG":
        try:  # checks every chunk's CRC, which load() does not
            with PILImage.open(io.BytesIO(data), formats=("PNG",)) as again:
                again.verify()
        except Exception:
            raise _error("corrupt") from None
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


def validate_image_field(value):
    """Model-field validator: new uploads must pass `inspect_image` (stored files are trusted)."""
    if value and not getattr(value, "_committed", True) and value.file is not None:
        validate_upload(value.file)


class ImageUploadField(forms.ImageField):
    """The form field every ModelForm (admin included) gets for `Image.file`."""

    default_validators = []  # the content decides, and the stored name gets the right extension

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        info = validate_upload(upload)
        if hasattr(upload, "content_type"):
            upload.content_type = MIME_TYPES[EXTENSIONS[info.format].lstrip(".")]
        return upload

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ACCEPT
        return attrs


def install_upload_checks():
    """Make `Image.file` use ImageUploadField in every ModelForm and validate in full_clean.

    Done on the field instance, so the model (and its migrations) stay as they are.
    """
    field = Image._meta.get_field("file")
    if getattr(field, "_newsroom_checks", False):
        return
    original = field.formfield

    def formfield(**kwargs):
        kwargs.setdefault("form_class", ImageUploadField)
        return original(**kwargs)

    field.formfield = formfield
    field.validators.append(validate_image_field)
    field._newsroom_checks = True


install_upload_checks()  # before any ModelForm class for Image is built


class ImageForm(forms.ModelForm):
    """A plain upload form for the image library (the admin gets the same field and checks)."""

    class Meta:
        model = Image
        fields = ["file", "title", "alt_text", "caption", "credit"]
        field_classes = {"file": ImageUploadField}


# --- Cleaning: orientation and metadata ------------------------------------------------------


def _strip_jpeg(data: bytes) -> bytes:
    """Drop APP1-APP15 (EXIF, XMP, IPTC, ...), COM and JFIF thumbnails; keep ICC and Adobe."""
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    out = bytearray(b"\xff\xd8")
    i, n = 2, len(data)
    while i < n:
        if data[i] != 0xFF:
            raise ValueError("bad JPEG marker")
        while i < n and data[i] == 0xFF:
            i += 1
        if i >= n:
            raise ValueError("truncated JPEG")
        marker = data[i]
        i += 1
        if marker == 0xDA:  # start of scan: the rest is image data
            out += b"\xff\xda" + data[i:]
            return bytes(out)
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:
            out += bytes((0xFF, marker))
            continue
        if marker == 0xD9:
            break
        if i + 2 > n:
            raise ValueError("truncated JPEG")
        (length,) = struct.unpack(">H", data[i : i + 2])
        segment = data[i : i + length]
        if length < 2 or len(segment) != length:
            raise ValueError("truncated JPEG")
        i += length
        if marker == 0xE0:
            keep = segment[2:7] == b"JFIF\0" and segment[14:16] == b"\0\0"
        elif marker == 0xE2:
            keep = segment[2:14] == b"ICC_PROFILE\0"
        elif marker == 0xEE:
            keep = segment[2:7] == b"Adobe"
        else:
            keep = not (0xE1 <= marker <= 0xEF or marker == 0xFE)
        if keep:
            out += bytes((0xFF, marker)) + segment
    out += b"\xff\xd9"
    return bytes(out)


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEEP = {b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"bKGD", b"cICP"}
PNG_KEEP |= {b"acTL", b"fcTL", b"fdAT"}  # animation (APNG)


def _strip_png(data: bytes) -> bytes:
    """Keep critical chunks and those that change how pixels look; drop text, eXIf, tIME, ..."""
    if data[:8] != PNG_SIGNATURE:
        raise ValueError("not a PNG")
    out = bytearray(PNG_SIGNATURE)
    i, n = 8, len(data)
    while i + 8 <= n:
        (length,) = struct.unpack(">I", data[i : i + 4])
        kind = data[i + 4 : i + 8]
        end = i + 12 + length
        if end > n:
            raise ValueError("truncated PNG")
        if kind[:1].isupper() or kind in PNG_KEEP:
            out += data[i:end]
        i = end
        if kind == b"IEND":
            return bytes(out)
    raise ValueError("PNG without IEND")


WEBP_KEEP = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"}


def _strip_webp(data: bytes) -> bytes:
    """Drop EXIF, XMP and unknown chunks; clear their flags in VP8X."""
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ValueError("not a WebP")
    body = bytearray()
    i, n = 12, len(data)
    while i + 8 <= n:
        kind = data[i : i + 4]
        (length,) = struct.unpack("<I", data[i + 4 : i + 8])
        end = i + 8 + length + (length & 1)
        if i + 8 + length > n:
            raise ValueError("truncated WebP")
        chunk = bytearray(data[i:end])
        if kind == b"VP8X":
            chunk[8] &= ~(0x08 | 0x04) & 0xFF  # EXIF and XMP flags
        if kind in WEBP_KEEP:
            body += chunk
        i = end
    return b"RIFF" + struct.pack("<I", len(body) + 4) + b"WEBP" + bytes(body)


def _skip_sub_blocks(data, i):
    n = len(data)
    while True:
        if i >= n:
            raise ValueError("truncated GIF")
        size = data[i]
        i += 1
        if size == 0:
            return i
        i += size


def _strip_gif(data: bytes) -> bytes:
    """Drop comment and application extensions other than the looping one."""
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise ValueError("not a GIF")
    flags = data[10]
    i = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    out = bytearray(data[:i])
    n = len(data)
    while i < n:
        block = data[i]
        if block == 0x3B:
            out.append(0x3B)
            return bytes(out)
        if block == 0x21:
            label = data[i + 1]
            end = _skip_sub_blocks(data, i + 2)
            keep = label in (0xF9, 0x01) or (
                label == 0xFF and data[i + 3 : i + 14] in (b"NETSCAPE2.0", b"ANIMEXTS1.0")
            )
            if keep:
                out += data[i:end]
            i = end
        elif block == 0x2C:
            local = data[i + 9]
            j = i + 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0) + 1
            end = _skip_sub_blocks(data, j)
            out += data[i:end]
            i = end
        else:
            raise ValueError("bad GIF block")
    out.append(0x3B)  # a GIF missing only its trailer
    return bytes(out)


STRIPPERS = {"JPEG": _strip_jpeg, "PNG": _strip_png, "WEBP": _strip_webp, "GIF": _strip_gif}


@dataclass
class Cleaned:
    data: bytes
    format: str
    width: int
    height: int
    animated: bool


def _encoder_options(source: PILImage.Image, fmt: str, data: bytes) -> dict:
    """How to re-encode `source` without losing quality: its own JPEG tables, its profile."""
    options = {"icc_profile": source.info.get("icc_profile")}
    if fmt == "JPEG":
        if getattr(source, "quantization", None):
            options["qtables"] = source.quantization
            sampling = JpegImagePlugin.get_sampling(source)
            if sampling != -1:
                options["subsampling"] = sampling
        else:
            options["quality"] = 92
    elif fmt == "PNG" and "transparency" in source.info:
        options["transparency"] = source.info["transparency"]
    elif fmt == "WEBP":
        options.update(lossless=data.find(b"VP8L", 12, 65536) != -1, quality=90)
        options["icc_profile"] = options["icc_profile"] or ""
    return options


def _reencode(image: PILImage.Image, fmt: str, options: dict) -> bytes:
    """Pixels only (plus the colour profile): no EXIF, XMP or comments are written."""
    buffer = io.BytesIO()
    if fmt == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def clean_image(data: bytes, info: Inspected) -> Cleaned:
    """The file we keep and serve: upright, and without EXIF, GPS or other metadata."""
    fmt = info.format
    with PILImage.open(io.BytesIO(data), formats=(fmt,)) as source:
        orientation = source.getexif().get(0x0112, 1)
        animated = info.frames > 1
        stripped = None
        if orientation in (1, None) or animated or not 2 <= orientation <= 8:
            try:
                stripped = STRIPPERS[fmt](data)
            except (ValueError, IndexError, struct.error):
                log.info("Re-encoding an image whose container could not be stripped")
        if stripped is None:
            if animated:
                raise _error("corrupt")
            options = _encoder_options(source, fmt, data)
            upright = ImageOps.exif_transpose(source)
            source.close()  # free the decoded source before encoding (peak memory)
            stripped = _reencode(upright, fmt, options)
            del upright
    with PILImage.open(io.BytesIO(stripped), formats=(fmt,)) as result:
        if result.getexif() or result.info.get("xmp") or result.info.get("comment"):
            if animated:  # pragma: no cover - defensive
                raise _error("corrupt")
            options = _encoder_options(result, fmt, stripped)
            result.load()
            stripped = _reencode(result.copy(), fmt, options)
            return clean_image(stripped, Inspected(fmt, *result.size, 1))
        width, height = result.size
    return Cleaned(stripped, fmt, width, height, animated)


# --- Renditions -------------------------------------------------------------------------------


def plan_widths(source_width: int) -> list[int]:
    """Distinct widths never above the source's; the source width replaces a near-duplicate."""
    widths = [w for w in WIDTHS if w < source_width * NEAR_SOURCE]
    if source_width <= WIDTHS[-1]:
        widths.append(source_width)
    elif WIDTHS[-1] not in widths:
        widths.append(WIDTHS[-1])
    return sorted(set(widths))


def social_box(width: int, height: int) -> tuple[tuple[int, int, int, int], tuple[int, int]]:
    """A centred 1.91:1 crop (a little above centre: faces) and its output size, never upscaled."""
    target_w, target_h = SOCIAL_SIZE
    ratio = target_w / target_h
    if width / height > ratio:
        crop_w, crop_h = round(height * ratio), height
    else:
        crop_w, crop_h = width, round(width / ratio)
    left = (width - crop_w) // 2
    top = round((height - crop_h) * 0.4)
    scale = min(1.0, target_w / crop_w)
    return (left, top, left + crop_w, top + crop_h), (
        max(1, round(crop_w * scale)),
        max(1, round(crop_h * scale)),
    )


def rendition_name(file_hash: str, key: str) -> str:
    return f"{RENDITION_DIR}/{file_hash[:2]}/{file_hash}/{key}"


def _has_alpha(image):
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode == "P" and "transparency" in image.info
    )


def _encode(image, ext, icc):
    buffer = io.BytesIO()
    if ext == "webp":
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD, icc_profile=icc or "")
    elif ext == "jpg":
        image.save(
            buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, icc_profile=icc
        )
    else:
        image.save(buffer, "PNG", compress_level=6, icc_profile=icc)
    return buffer.getvalue()


def _store(storage, name, encode):
    """Save once: names are keyed by content, so an existing file is the same rendition."""
    if storage.exists(name):
        return name, storage.size(name)
    data = encode()
    saved = storage.save(name, ContentFile(data))
    return saved, len(data)


def make_renditions(cleaned: Cleaned, file_hash: str, storage, original_name=None) -> dict:
    """Make and store every rendition of a cleaned image; return the `Image.renditions` map."""
    renditions = {}
    fmt = cleaned.format
    width, height = cleaned.width, cleaned.height
    with PILImage.open(io.BytesIO(cleaned.data), formats=(fmt,)) as source:
        icc = source.info.get("icc_profile")
        widths = [] if cleaned.animated else plan_widths(width)
        box, social_size = social_box(width, height)
        if fmt == "JPEG":
            # Decode at 1/2, 1/4 or 1/8 scale when that still covers the largest output.
            need_w = max(
                widths[-1] if widths else 1, math.ceil(width * social_size[0] / (box[2] - box[0]))
            )
            need_h = max(math.ceil(height * need_w / width), 1)
            source.draft(None, (need_w, need_h))
        source.load()
        alpha = _has_alpha(source)
        mode = "RGBA" if alpha else "RGB"
        base = source if source.mode == mode else source.convert(mode)
        fallback = "png" if alpha else "jpg"
        original_size = len(cleaned.data)

        previous = base
        resized_copies = []
        for target in sorted(widths, reverse=True):
            target_h = max(1, round(height * target / width))
            if (previous.width, previous.height) == (target, target_h):
                resized = previous
            else:
                resized = previous.resize(
                    (target, target_h), PILImage.Resampling.LANCZOS, reducing_gap=3.0
                )
            previous = resized
            resized_copies.append(resized)
            for ext in ("webp", fallback):
                key = f"{target}.{ext}"
                name, size = _store(
                    storage,
                    rendition_name(file_hash, key),
                    lambda r=resized, e=ext: _encode(r, e, icc),
                )
                # Never serve a copy bigger than the file it was made from.
                if (
                    target == width
                    and original_name
                    and size >= original_size
                    and EXTENSIONS[fmt] == f".{ext}"
                ):
                    storage.delete(name)
                    name = original_name
                renditions[key] = {"name": name, "width": target, "height": target_h}
        if cleaned.animated and original_name:
            ext = EXTENSIONS[fmt].lstrip(".")
            renditions[f"{width}.{ext}"] = {"name": original_name, "width": width, "height": height}

        # Crop from the smallest copy that still covers the card (cheaper than the full decode).
        social_from = base
        for copy in resized_copies:
            if copy.width * (box[2] - box[0]) / width >= social_size[0]:
                social_from = copy
        crop = tuple(round(v * social_from.width / width) for v in box)
        card = social_from.crop(crop)
        if alpha:
            flat = PILImage.new("RGB", card.size, (255, 255, 255))
            flat.paste(card, mask=card.getchannel("A"))
            card = flat
        if card.size != social_size:
            card = card.resize(social_size, PILImage.Resampling.LANCZOS, reducing_gap=3.0)
        name, _size = _store(
            storage, rendition_name(file_hash, SOCIAL_KEY), lambda: _encode(card, "jpg", icc)
        )
        renditions[SOCIAL_KEY] = {"name": name, "width": social_size[0], "height": social_size[1]}
    return renditions


def delete_renditions(storage, renditions, keep_names=()):
    for entry in (renditions or {}).values():
        name = entry.get("name") if isinstance(entry, dict) else None
        if name and name.startswith(RENDITION_DIR + "/") and name not in keep_names:
            try:
                storage.delete(name)
            except Exception:
                log.exception("Could not delete rendition %s", name)


# --- The model's life cycle --------------------------------------------------------------------


def prepare_image(image: Image) -> None:
    """Validate, clean and store `image.file`, fill width/height/hash and make renditions.

    Raises ValidationError (and leaves nothing in storage) for a file that is not acceptable.
    """
    field_file = image.file
    storage = field_file.storage
    committed = field_file._committed
    data = None
    try:
        if committed:
            check_size(storage.size(field_file.name))
            with storage.open(field_file.name, "rb") as handle:
                data = handle.read()
            info = inspect_image(data)
        else:
            info = validate_upload(field_file.file)
            data = read_bytes(field_file.file)
    except ValidationError:
        if committed:
            storage.delete(field_file.name)  # nothing half-saved
        raise
    cleaned = clean_image(data, info)
    digest = hashlib.sha256(cleaned.data).hexdigest()
    stem = os.path.splitext(os.path.basename(field_file.name))[0] or "image"
    filename = stem + EXTENSIONS[cleaned.format]
    if not committed:
        image.file = ContentFile(cleaned.data, name=filename)
        # Save now (as FileField.pre_save would) so renditions can point at the original.
        image.file.save(filename, image.file.file, save=False)
    elif cleaned.data != data or not field_file.name.endswith(EXTENSIONS[cleaned.format]):
        folder = os.path.dirname(field_file.name)
        storage.delete(field_file.name)
        image.file.name = storage.save(f"{folder}/{filename}", ContentFile(cleaned.data))
    image.width, image.height, image.file_hash = cleaned.width, cleaned.height, digest
    try:
        image.renditions = make_renditions(cleaned, digest, storage, image.file.name)
    except Exception:
        # The page falls back to the cleaned original; `manage.py build_renditions` retries.
        log.exception("Could not make renditions for image %s", image.file.name)
        image.renditions = {}


def _loaded_state(instance):
    value = instance.__dict__.get("file")
    name = value if isinstance(value, str) else getattr(value, "name", None)
    return {
        "name": name or None,
        "hash": instance.__dict__.get("file_hash"),
        "renditions": instance.__dict__.get("renditions"),
    }


def remember_loaded(sender, instance, **kwargs):
    if instance.pk is not None:
        instance._images_loaded = _loaded_state(instance)


def before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and "file" not in update_fields):
        return
    if not instance.file:
        return
    loaded = getattr(instance, "_images_loaded", None) or {}
    if instance.file._committed and instance.file_hash and loaded.get("name") == instance.file.name:
        return  # the same, already prepared file
    prepare_image(instance)


def after_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    loaded = getattr(instance, "_images_loaded", None) or {}
    old_name = loaded.get("name")
    if old_name and old_name != instance.file.name:
        storage = instance.file.storage
        old = {"name": old_name, "hash": loaded.get("hash"), "renditions": loaded.get("renditions")}
        new_name = instance.file.name
        transaction.on_commit(lambda: _replaced(storage, old, new_name, instance.pk))
    instance._images_loaded = _loaded_state(instance)


def _replaced(storage, old, new_name, pk):
    """After a file is replaced: bodies point at the new file, old files go."""
    old_url, new_url = storage.url(old["name"]), storage.url(new_name)
    old_src, new_src = f'src="{old_url}"', f'src="{new_url}"'
    updated = Article.objects.filter(body__contains=old_src).update(
        body=Replace("body", Value(old_src), Value(new_src))
    )
    if updated:
        log.info("Image %s replaced: updated %s article bodies", pk, updated)
    _forget_files(storage, old["name"], old["hash"], old["renditions"], exclude_pk=pk)


def _forget_files(storage, name, file_hash, renditions, exclude_pk=None):
    shared = Image.objects.filter(file__in=[name] if name else [])
    if exclude_pk is not None:
        shared = shared.exclude(pk=exclude_pk)
    if name and not shared.exists():
        try:
            storage.delete(name)
        except Exception:
            log.exception("Could not delete image file %s", name)
    if file_hash and Image.objects.filter(file_hash=file_hash).exists():
        return  # another library image has the same content and shares the renditions
    delete_renditions(storage, renditions)


def after_delete(sender, instance, **kwargs):
    storage = instance.file.storage
    name, file_hash, renditions = instance.file.name, instance.file_hash, instance.renditions
    transaction.on_commit(lambda: _forget_files(storage, name, file_hash, renditions))


def connect():
    install_upload_checks()
    pre_save.connect(clean_text_fields, sender=Image, dispatch_uid="newsroom-text-Image")
    pagecache.invalidate_on_change(Image)
    post_init.connect(remember_loaded, sender=Image, dispatch_uid="images-remember")
    pre_save.connect(before_save, sender=Image, dispatch_uid="images-prepare")
    post_save.connect(after_save, sender=Image, dispatch_uid="images-replaced")
    post_delete.connect(after_delete, sender=Image, dispatch_uid="images-deleted")


# --- Reading renditions ------------------------------------------------------------------------


def rendition_list(image) -> list[dict]:
    """Every rendition of `image` for APIs: key, absolute url, width, height, MIME type."""
    if image is None or not image.renditions:
        return []
    storage = image.file.storage
    items = []
    for key, entry in image.renditions.items():
        ext = key.rsplit(".", 1)[-1]
        items.append(
            {
                "key": key,
                "url": absolute_url(storage.url(entry["name"])),
                "width": entry["width"],
                "height": entry["height"],
                "type": MIME_TYPES.get(ext, "application/octet-stream"),
                "social": key == SOCIAL_KEY,
            }
        )
    items.sort(key=lambda item: (item["social"], item["type"], item["width"]))
    return items


def social_card(image) -> dict | None:
    """The 1200x630 (or smaller, never upscaled) JPEG crop for OpenGraph/Twitter/JSON-LD."""
    entry = (image.renditions or {}).get(SOCIAL_KEY) if image is not None else None
    if not entry:
        return None
    url = absolute_url(image.file.storage.url(entry["name"]))
    return {"url": url, "width": entry["width"], "height": entry["height"], "type": "image/jpeg"}


def social_card_url(image) -> str | None:
    """Absolute URL of the social card rendition of `image`, or None if it has none."""
    card = social_card(image)
    return card["url"] if card else None


def _sources(image):
    """(webp entries, fallback entries) sorted by width, without the social card."""
    webp, fallback = [], []
    for key, entry in (image.renditions or {}).items():
        if key == SOCIAL_KEY:
            continue
        (webp if key.endswith(".webp") else fallback).append(entry)
    webp.sort(key=lambda e: e["width"])
    fallback.sort(key=lambda e: e["width"])
    return webp, fallback


def _srcset(storage, entries):
    return ", ".join(f"{storage.url(e['name'])} {e['width']}w" for e in entries)


def file_is_missing(image) -> bool:
    """True when an image without renditions has no file in storage (logged)."""
    if not image.file:
        return True
    if image.renditions:
        return False
    try:
        missing = not image.file.storage.exists(image.file.name)
    except Exception:
        log.exception("Could not check image file %s", image.file.name)
        return True
    if missing:
        log.error("Image %s: file %s is missing from storage", image.pk, image.file.name)
    return missing


def picture_html(image, sizes=SIZES_BODY, lazy=True, priority=False, css_class=""):
    """A responsive <picture> for a library image, or "" (logged) when its file is missing."""
    if image is None or file_is_missing(image):
        return ""
    storage = image.file.storage
    webp, fallback = _sources(image)
    width, height = image.width, image.height
    if fallback:
        src = next((e for e in fallback if e["width"] >= 960), fallback[-1])
        src_url, srcset = storage.url(src["name"]), _srcset(storage, fallback)
        width, height = width or fallback[-1]["width"], height or fallback[-1]["height"]
    else:
        src_url = image.file.url
        srcset = f"{src_url} {width}w" if width else ""
    attrs = [("src", src_url)]
    if srcset:
        attrs += [("srcset", srcset), ("sizes", sizes)]
    if width and height:
        attrs += [("width", width), ("height", height)]
    attrs.append(("alt", image.alt_text))
    if lazy:
        attrs.append(("loading", "lazy"))
    elif priority:
        attrs.append(("fetchpriority", "high"))
    attrs.append(("decoding", "async"))
    if css_class:
        attrs.append(("class", css_class))
    img = format_html("<img{}>", format_html_join("", ' {}="{}"', attrs))
    if not webp:
        return img
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">{}</picture>',
        _srcset(storage, webp),
        sizes,
        img,
    )


def credit_html(image):
    return format_html('<span class="credit">{}</span>', image.credit) if image.credit else ""


def rebuild(image: Image) -> None:
    """Rebuild one stored image's renditions (cleaning its file first if it never was)."""
    storage = image.file.storage
    if not storage.exists(image.file.name):
        raise FileNotFoundError(image.file.name)
    old = dict(image.renditions or {})
    if not image.file_hash:
        # Never cleaned (saved before this module): validate, strip and store it properly.
        prepare_image(image)
    else:
        with storage.open(image.file.name, "rb") as handle:
            data = handle.read()
        info = inspect_image(data)
        with PILImage.open(io.BytesIO(data)) as source:
            width, height = source.size
        cleaned = Cleaned(data, info.format, width, height, info.frames > 1)
        delete_renditions(storage, old)
        image.renditions = make_renditions(cleaned, image.file_hash, storage, image.file.name)
    stale = {e["name"] for e in old.values()} - {e["name"] for e in image.renditions.values()}
    delete_renditions(storage, {n: {"name": n} for n in stale})
    Image.objects.filter(pk=image.pk).update(
        file=image.file.name,
        width=image.width,
        height=image.height,
        file_hash=image.file_hash,
        renditions=image.renditions,
    )
