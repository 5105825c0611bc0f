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
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.media_origin import media_base_url
from media.html import SIZES_BODY, credit_html, picture_html
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
    for base_url in (getattr(default_storage, "base_url", None), media_base_url()):
        if base_url and base_url not in prefixes:
            prefixes.append(base_url)  # a bucket's or CDN's URL, media on S3
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


class Picture(NamedTuple):
    """What one <img> of a body became."""

    markup: str  # "" leaves it (and a figure holding nothing else) out
    image: Image | None  # the library image, if it is one


def render_body(article):
    """The article body as safe HTML, library images as responsive pictures (one query)."""
    body = article.body or ""
    if "<img" not in body:
        return mark_safe(body)
    return mark_safe(BodyImages(article, body).render())


class BodyImages:
    """The library images one body shows, loaded in one query, and what each tag becomes."""

    def __init__(self, article, body):
        self.article_id, self.body = article.pk, body
        self.prefixes = _media_prefixes()
        names = {
            storage_name(_attrs(tag).get("src", ""), self.prefixes) for tag in IMG_RE.findall(body)
        }
        names.discard(None)
        self.library = _library_images(names) if names else {}

    def render(self):
        return BLOCK_RE.sub(self._block, self.body)

    def _block(self, match):
        if match.group("img"):
            return self.picture(match.group("img")).markup
        return self.figure(match.group("figure"))

    def picture(self, tag):
        """The Picture an <img> tag becomes: a library image's responsive <picture>, an outside
        image's plain lazy <img>, or nothing for a library URL whose image or file is gone."""
        attrs = _attrs(tag)
        src = attrs.get("src", "")
        name = storage_name(src, self.prefixes)
        if name is None:
            return Picture(_plain_img(attrs), None)
        image = self.library.get(name)
        if image is None:
            log.warning(
                "Article %s: body image %s is not in the image library", self.article_id, src
            )
            return Picture("", None)
        markup = picture_html(image, sizes=SIZES_BODY, lazy=True)
        if not markup:
            log.warning("Article %s: left out body image %s (file missing)", self.article_id, src)
        return Picture(markup, image)

    def figure(self, inner):
        """A <figure> with its images replaced and their credits in its caption; "" when
        every image it held is gone."""
        pictures = []

        def replace(img_match):
            pictures.append(self.picture(img_match.group(0)))
            return pictures[-1].markup

        inner = IMG_RE.sub(replace, inner)
        if pictures and not any(picture.markup for picture in pictures):
            return ""
        shown = [p.image for p in pictures if p.markup and p.image is not None]
        return f"<figure>{_with_credits(inner, shown)}</figure>"


def _library_images(names):
    """{storage name: Image} of the library images of those files, in one query."""
    queryset = Image.objects.filter(file__in=names).only(*BODY_FIELDS).order_by()
    return {image.file.name: image for image in queryset}


def _with_credits(inner, images):
    """A figure's inner HTML with the credits of `images` it does not show yet: added to its
    caption, or in a caption made from the first image's own."""
    credit = "".join(
        str(credit_html(image))
        for image in images
        if image.credit and html.escape(image.credit, quote=False) not in inner
    )
    if FIGCAPTION_END in inner:
        if not credit:
            return inner
        at = inner.rindex(FIGCAPTION_END)
        return f"{inner[:at]} {credit}{inner[at:]}"
    caption = next((image.caption for image in images if image.caption), "")
    if caption or credit:
        return inner + str(format_html("<figcaption>{}", caption)) + f" {credit}</figcaption>"
    return inner
