"""The file we keep and serve: upright, and without EXIF, GPS, XMP, IPTC, comments or thumbnails.

Metadata is cut out of the container losslessly (JPEG segments, PNG chunks, WebP chunks, GIF
extensions); pixels are re-encoded only when a rotation is needed (or a container cannot be
parsed), then with the source's own JPEG quantisation tables so quality does not drop.
"""

from __future__ import annotations

import io
import logging
import struct
from dataclasses import dataclass

from PIL import ExifTags, ImageOps, JpegImagePlugin
from PIL import Image as PILImage

from media.validation import Inspected, upload_error

log = logging.getLogger(__name__)


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
    """A cleaned file: what is stored, and what its renditions are made from."""

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
        orientation = source.getexif().get(ExifTags.Base.Orientation, 1)
        animated = info.frames > 1
        stripped = None
        if orientation in (1, None) or animated or not 2 <= orientation <= 8:
            try:
                stripped = STRIPPERS[fmt](data)
            except (ValueError, IndexError, struct.error):
                log.info("Re-encoding an image whose container could not be stripped")
        if stripped is None:
            if animated:
                raise upload_error("corrupt")
            options = _encoder_options(source, fmt, data)
            upright = ImageOps.exif_transpose(source)
            source.close()  # free the decoded source before encoding (peak memory)
            stripped = _reencode(upright, fmt, options)
            del upright
    with PILImage.open(io.BytesIO(stripped), formats=(fmt,)) as result:
        if result.getexif() or result.info.get("xmp") or result.info.get("comment"):
            if animated:  # pragma: no cover - defensive
                raise upload_error("corrupt")
            options = _encoder_options(result, fmt, stripped)
            result.load()
            stripped = _reencode(result.copy(), fmt, options)
            return clean_image(stripped, Inspected(fmt, *result.size, 1))
        width, height = result.size
    return Cleaned(stripped, fmt, width, height, animated)
