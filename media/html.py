"""Library images as HTML: the responsive <picture>, the credit line, and rendition URLs for APIs.

Built here once for covers, lists and article bodies (`articles.rendering`, the `{% picture %}`
tag). An image whose file is gone renders nothing and is logged: a reader never gets a broken
image or a 500.
"""

from __future__ import annotations

import logging

from django.utils.html import format_html, format_html_join

from core.site_url import absolute_url
from media.renditions import SOCIAL_KEY
from media.validation import MIME_TYPES

log = logging.getLogger(__name__)

# What the article page's layout gives a body image (see static/css/site.css).
SIZES_BODY = "(min-width: 64rem) 46rem, calc(100vw - 2rem)"


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


# The <source> elements, most compact format first: a browser takes the first type it decodes.
SOURCE_TYPES = (("avif", "image/avif"), ("webp", "image/webp"))


def _sources(image):
    """({extension: entries} for each <source> format, fallback entries), sorted by width,
    without the social card."""
    sources, fallback = {ext: [] for ext, _type in SOURCE_TYPES}, []
    for key, entry in (image.renditions or {}).items():
        if key == SOCIAL_KEY:
            continue
        sources.get(key.rsplit(".", 1)[-1], fallback).append(entry)
    for entries in (*sources.values(), fallback):
        entries.sort(key=lambda e: e["width"])
    return sources, fallback


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
    sources, fallback = _sources(image)
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
    offered = [(mime, sources[ext]) for ext, mime in SOURCE_TYPES if sources[ext]]
    if not offered:
        return img
    source_tags = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        ((mime, _srcset(storage, entries), sizes) for mime, entries in offered),
    )
    return format_html("<picture>{}{}</picture>", source_tags, img)


def credit_html(image):
    return format_html('<span class="credit">{}</span>', image.credit) if image.credit else ""
