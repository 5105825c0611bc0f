"""Renditions: the sizes and formats a reader's browser picks from, made once per cleaned file.

Each width (never above the source's) is stored as AVIF (when this Pillow can encode it), WebP
and a JPEG or PNG fallback, with one 1.91:1 social card, through Django's storage API under
names keyed by the cleaned file's sha256: identical files share their renditions. Reader
requests never make images.
"""

from __future__ import annotations

import io
import logging
import math
from dataclasses import dataclass
from typing import NamedTuple

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import features

from media.metadata import Cleaned
from media.validation import EXTENSIONS

log = logging.getLogger(__name__)

WIDTHS = (480, 960, 1600)
# The OpenGraph/Twitter share card (`articles.seo` announces this size).
SOCIAL_CARD_SIZE = (1200, 630)
SOCIAL_KEY = "social.jpg"
RENDITION_DIR = "renditions"
JPEG_QUALITY = 82
WEBP_QUALITY = 80
WEBP_METHOD = 2  # 0 (fast) .. 6 (small): an upload waits for it (see docs/decisions.md)
AVIF_QUALITY = 50  # Pillow's 0-100 scale: WebP 80's fidelity in fewer bytes (docs/decisions.md)
AVIF_SPEED = 7  # 0 (slow, small) .. 10 (fast): an upload waits for it (see docs/decisions.md)
# A target width this close to the source's own width is skipped: the source width is used.
NEAR_SOURCE = 0.9


def plan_widths(source_width: int) -> list[int]:
    """Distinct widths never above the source's; the source width replaces a near-duplicate."""
    widths = [w for w in WIDTHS if w < source_width * NEAR_SOURCE]
    if source_width <= WIDTHS[-1]:
        widths.append(source_width)
    elif WIDTHS[-1] not in widths:
        widths.append(WIDTHS[-1])
    return sorted(set(widths))


class SocialCrop(NamedTuple):
    """Where the social card is cut from the source, and the card's size."""

    box: tuple[int, int, int, int]  # left, top, right, bottom, in source pixels
    size: tuple[int, int]

    @property
    def width(self) -> int:
        return self.box[2] - self.box[0]


def social_box(width: int, height: int) -> SocialCrop:
    """A centred 1.91:1 crop (a little above centre: faces) and its output size, never upscaled."""
    target_w, target_h = SOCIAL_CARD_SIZE
    ratio = target_w / target_h
    if width / height > ratio:
        crop_w, crop_h = round(height * ratio), height
    else:
        crop_w, crop_h = width, round(width / ratio)
    left = (width - crop_w) // 2
    top = round((height - crop_h) * 0.4)
    scale = min(1.0, target_w / crop_w)
    return SocialCrop(
        box=(left, top, left + crop_w, top + crop_h),
        size=(max(1, round(crop_w * scale)), max(1, round(crop_h * scale))),
    )


def avif_supported() -> bool:
    """Whether this Pillow was built with an AVIF encoder (libavif); without one, no AVIF."""
    return features.check("avif")


def width_formats(fallback: str) -> tuple[str, ...]:
    """The formats stored for each width, most compact first: what <picture> offers in order."""
    return ("avif", "webp", fallback) if avif_supported() else ("webp", fallback)


def lacks_formats(renditions: dict | None) -> bool:
    """Whether a rendition map misses a format this Pillow would make (AVIF added after upload)."""
    widths = {key.split(".")[0] for key in renditions or {} if key.endswith(".webp")}
    return avif_supported() and any(f"{w}.avif" not in (renditions or {}) for w in widths)


def rendition_name(file_hash: str, key: str) -> str:
    return f"{RENDITION_DIR}/{file_hash[:2]}/{file_hash}/{key}"


def _has_alpha(image):
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode == "P" and "transparency" in image.info
    )


def _encode(image, ext, icc):
    buffer = io.BytesIO()
    if ext == "avif":
        image.save(buffer, "AVIF", quality=AVIF_QUALITY, speed=AVIF_SPEED, icc_profile=icc or b"")
    elif ext == "webp":
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD, icc_profile=icc or "")
    elif ext == "jpg":
        image.save(
            buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, icc_profile=icc
        )
    else:
        image.save(buffer, "PNG", compress_level=6, icc_profile=icc)
    return buffer.getvalue()


class Stored(NamedTuple):
    name: str
    size: int


@dataclass(frozen=True)
class RenditionStore:
    """Where one file's renditions go, encoded with the source's colour profile."""

    storage: object
    file_hash: str
    icc_profile: bytes | None

    def save(self, key: str, image: PILImage.Image, ext: str) -> Stored:
        """Save once: names are keyed by content, so an existing file is the same rendition."""
        name = rendition_name(self.file_hash, key)
        if self.storage.exists(name):
            return Stored(name, self.storage.size(name))
        data = _encode(image, ext, self.icc_profile)
        return Stored(self.storage.save(name, ContentFile(data)), len(data))


def _decoded(source: PILImage.Image, cleaned: Cleaned, widths, crop: SocialCrop):
    """`source` decoded as RGB, or RGBA when it has transparency.

    A JPEG is decoded at 1/2, 1/4 or 1/8 scale when that still covers the largest output.
    """
    if cleaned.format == "JPEG":
        need_w = max(
            widths[-1] if widths else 1, math.ceil(cleaned.width * crop.size[0] / crop.width)
        )
        need_h = max(math.ceil(cleaned.height * need_w / cleaned.width), 1)
        source.draft(None, (need_w, need_h))
    source.load()
    mode = "RGBA" if _has_alpha(source) else "RGB"
    return source if source.mode == mode else source.convert(mode)


def _downscaled(base: PILImage.Image, widths, width: int, height: int) -> list[PILImage.Image]:
    """One copy per width, widest first, each resized from the one before (cheaper)."""
    copies = []
    previous = base
    for target in sorted(widths, reverse=True):
        size = (target, max(1, round(height * target / width)))
        if previous.size != size:
            previous = previous.resize(size, PILImage.Resampling.LANCZOS, reducing_gap=3.0)
        copies.append(previous)
    return copies


def _width_renditions(copies, cleaned: Cleaned, store: RenditionStore, fallback, original_name):
    """An AVIF (when supported), a WebP and a fallback file for each copy."""
    renditions = {}
    for resized in copies:
        for ext in width_formats(fallback):
            key = f"{resized.width}.{ext}"
            name, size = store.save(key, resized, ext)
            # Never serve a copy bigger than the file it was made from.
            if (
                resized.width == cleaned.width
                and original_name
                and size >= len(cleaned.data)
                and EXTENSIONS[cleaned.format] == f".{ext}"
            ):
                store.storage.delete(name)
                name = original_name
            renditions[key] = {"name": name, "width": resized.width, "height": resized.height}
    return renditions


def _social_card(base: PILImage.Image, copies, width: int, crop: SocialCrop) -> PILImage.Image:
    """The card in RGB, cut from the smallest copy that still covers it (cheaper than `base`)."""
    cut_from = base
    for resized in copies:
        if resized.width * crop.width / width >= crop.size[0]:
            cut_from = resized
    card = cut_from.crop(tuple(round(v * cut_from.width / width) for v in crop.box))
    if card.mode == "RGBA":  # transparent parts on white
        flat = PILImage.new("RGB", card.size, (255, 255, 255))
        flat.paste(card, mask=card.getchannel("A"))
        card = flat
    if card.size != crop.size:
        card = card.resize(crop.size, PILImage.Resampling.LANCZOS, reducing_gap=3.0)
    return card


def make_renditions(cleaned: Cleaned, file_hash: str, storage, original_name=None) -> dict:
    """Make and store every rendition of a cleaned image; return the `Image.renditions` map.

    An animation gets no resized copies: its original file stands in at its own width.
    """
    widths = [] if cleaned.animated else plan_widths(cleaned.width)
    crop = social_box(cleaned.width, cleaned.height)
    with PILImage.open(io.BytesIO(cleaned.data), formats=(cleaned.format,)) as source:
        store = RenditionStore(storage, file_hash, source.info.get("icc_profile"))
        base = _decoded(source, cleaned, widths, crop)
        copies = _downscaled(base, widths, cleaned.width, cleaned.height)
        fallback = "png" if base.mode == "RGBA" else "jpg"
        renditions = _width_renditions(copies, cleaned, store, fallback, original_name)
        if cleaned.animated and original_name:
            key = f"{cleaned.width}.{EXTENSIONS[cleaned.format].lstrip('.')}"
            renditions[key] = {
                "name": original_name,
                "width": cleaned.width,
                "height": cleaned.height,
            }
        card = _social_card(base, copies, cleaned.width, crop)
        name, _size = store.save(SOCIAL_KEY, card, "jpg")
        renditions[SOCIAL_KEY] = {"name": name, "width": crop.size[0], "height": crop.size[1]}
    return renditions


def delete_renditions(storage, renditions, keep_names=()):
    """Delete rendition files (never an original, which lives outside RENDITION_DIR)."""
    for entry in (renditions or {}).values():
        name = entry.get("name") if isinstance(entry, dict) else None
        if name and name.startswith(RENDITION_DIR + "/") and name not in keep_names:
            try:
                storage.delete(name)
            except Exception:
                log.exception("Could not delete rendition %s", name)
