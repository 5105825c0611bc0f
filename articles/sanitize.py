"""The one HTML allow-list for rich text.

Editors' HTML is never trusted: bodies are cleaned with nh3 on every save, so
whatever reaches the database, feeds, the API and the page is already inert. Images stay only
when they come from the site or its media origin (`core.media_origin`): the page's
Content-Security-Policy would block any other, leaving a broken picture in the body.
"""

import re
from urllib.parse import urlsplit

import nh3
from django.conf import settings

from core.media_origin import media_origin, origin_of

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "a",
    "ul", "ol", "li", "blockquote", "figure", "img", "figcaption", "hr",
    "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# nh3 writes every attribute as name="value" (a '"' inside escaped), so this finds whole tags.
IMG_TAG_RE = re.compile(r'<img(?:\s+[^\s=>]+="[^"]*")*\s*/?>')
HAS_SRC_RE = re.compile(r'\ssrc="')


def image_src_allowed(src):
    """Whether a body image may load from `src`: the site itself or the media origin."""
    parts = urlsplit(src.strip())
    if not parts.scheme and not parts.netloc:
        return True  # a path on this site
    return origin_of(src.strip()) in {origin_of(settings.SITE_URL), media_origin()}


def _keep_allowed_sources(tag, attribute, value):
    if tag == "img" and attribute == "src" and not image_src_allowed(value):
        return None
    return value


def _drop_images_without_source(html):
    return IMG_TAG_RE.sub(lambda m: m.group(0) if HAS_SRC_RE.search(m.group(0)) else "", html)


def sanitize_html(html):
    """Return `html` reduced to the allow-list: no scripts, styles, handlers or unsafe URLs,
    and no image the page's Content-Security-Policy would block."""
    if not html:
        return ""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_keep_allowed_sources,
    )
    return _drop_images_without_source(cleaned)
