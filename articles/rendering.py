"""Turning a stored (already sanitised) body into the HTML a reader gets.

Bodies hold plain `<figure><img src="/media/images/..." ...><figcaption>` markup (the editor and
the demo write it, nh3 keeps it clean). Here each `<img>` whose src is a library image becomes a
responsive `<picture>` (srcset, sizes, width/height, lazy, async decoding), with the image's
credit in the caption. All the body's images come from ONE query. An image whose file is gone,
or a media URL that no library image owns, is left out (its figure too) and logged: a reader
never gets a 500 or a broken image. Images from elsewhere stay plain, lazy <img> tags.
"""

import html
import logging
import re
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from media import images
from media.models import Image

log = logging.getLogger(__name__)

BLOCK_RE = re.compile(r"<figure>(?P<figure>.*?)</figure>|(?P<img><img\b[^>]*>)", re.S)
IMG_RE = re.compile(r"<img\b[^>]*>")
ATTR_RE = re.compile(r'([a-zA-Z:-]+)="([^"]*)"')
FIGCAPTION_END = "</figcaption>"
BODY_FIELDS = ("id", "file", "alt_text", "caption", "credit", "width", "height", "renditions")


def _attrs(tag):
    return {k.lower(): html.unescape(v) for k, v in ATTR_RE.findall(tag)}


def _media_prefixes():
    prefixes = [settings.MEDIA_URL, settings.SITE_URL + settings.MEDIA_URL]
    base_url = getattr(default_storage, "base_url", None)
    if base_url and base_url not in prefixes:
        prefixes.append(base_url)
    return [p for p in prefixes if p]


def storage_name(src, prefixes=None):
    """The storage name a media URL points at, or None for any other URL."""
    for prefix in prefixes or _media_prefixes():
        if src.startswith(prefix):
            return unquote(urlsplit(src[len(prefix) :]).path).lstrip("/") or None
    return None


def _plain_img(attrs):
    """An image from outside the library: kept, but lazy and async like the others."""
    kept = [(k, attrs[k]) for k in ("src", "alt", "width", "height") if k in attrs]
    parts = "".join(f' {k}="{html.escape(v)}"' for k, v in kept)
    return mark_safe(f'<img{parts} loading="lazy" decoding="async">')


def render_body(article):
    """The article body as safe HTML, library images as responsive pictures (one query)."""
    body = article.body or ""
    if "<img" not in body:
        return mark_safe(body)
    prefixes = _media_prefixes()
    names = set()
    for tag in IMG_RE.findall(body):
        name = storage_name(_attrs(tag).get("src", ""), prefixes)
        if name:
            names.add(name)
    library = {}
    if names:
        library = {
            image.file.name: image
            for image in Image.objects.filter(file__in=names).only(*BODY_FIELDS).order_by()
        }

    def picture(tag):
        """(html, image) for one <img>; html "" means leave it (and its figure) out."""
        attrs = _attrs(tag)
        src = attrs.get("src", "")
        name = storage_name(src, prefixes)
        if name is None:
            return _plain_img(attrs), None
        image = library.get(name)
        if image is None:
            log.warning("Article %s: body image %s is not in the image library", article.pk, src)
            return "", None
        markup = images.picture_html(image, sizes=images.SIZES_BODY, lazy=True)
        if not markup:
            log.warning("Article %s: left out body image %s (file missing)", article.pk, src)
        return markup, image

    def block(match):
        if match.group("img"):
            return picture(match.group("img"))[0]
        inner = match.group("figure")
        found = []

        def swap(img_match):
            markup, image = picture(img_match.group(0))
            found.append((markup, image))
            return markup

        inner = IMG_RE.sub(swap, inner)
        if found and not any(markup for markup, _ in found):
            return ""  # the figure's only image is gone: leave the whole figure out
        credits = [image for markup, image in found if markup and image and image.credit]
        credit = "".join(
            str(images.credit_html(image))
            for image in credits
            if html.escape(image.credit, quote=False) not in inner
        )
        if FIGCAPTION_END in inner:
            if credit:
                at = inner.rindex(FIGCAPTION_END)
                inner = f"{inner[:at]} {credit}{inner[at:]}"
        else:
            caption = next(
                (image.caption for markup, image in found if markup and image and image.caption),
                "",
            )
            if caption or credit:
                inner += str(format_html("<figcaption>{}", caption)) + f" {credit}</figcaption>"
        return f"<figure>{inner}</figure>"

    return mark_safe(BLOCK_RE.sub(block, body))
