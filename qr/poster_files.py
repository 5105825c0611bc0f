"""Poster files: what an article's poster shows, for whom, and their cache.

Like the code files (`links.code_target`, `codes.png_file`): a live article's poster source
(title, summary, cover, short code...) is cached until the next change of content, so a warm
poster costs no query; the PDF itself is cached by everything drawn on it (the article's last
change included), so it is rendered once per article change, size and placement. A draft's
poster is built for staff who may preview it, with a preview banner, and never cached publicly.
"""

import hashlib
import logging
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from articles import workflow
from articles.models import Article, short_url
from core import pagecache
from qr import codes, posters

logger = logging.getLogger(__name__)

CACHE_SECONDS = 30 * 24 * 3600
# Bump when the drawing changes, so cached posters from older code are not served.
RENDER_VERSION = 1
COVER_FORMATS = ("jpg", "jpeg", "png")
COVER_MAX_WIDTH = 1600  # enough for a cover a few inches wide on paper
SOURCE_FIELDS = (
    "title", "slug", "summary", "language", "status", "published_at", "expires_at",
    "updated_at", "short_code", "author_id", "section__name", "section__slug",
    "cover__file", "cover__renditions",
)  # fmt: skip


class PosterSource(NamedTuple):
    """What a poster is made of (plain values: it is cached)."""

    article_id: int
    slug: str
    title: str
    summary: str
    section: str
    language: str
    published_at: datetime | None
    updated_at: str  # the article's last change: part of the PDF's cache key
    cover_name: str  # a storage name, or ""
    short_code: str
    live: bool


def cover_name(image):
    """The storage name of the cover to print: the widest JPEG/PNG rendition up to
    COVER_MAX_WIDTH, else the original; "" without a cover."""
    if image is None:
        return ""
    best_width, best = 0, ""
    for key, entry in (image.renditions or {}).items():
        width, _dot, ext = key.partition(".")
        if ext in COVER_FORMATS and width.isdigit() and best_width < int(width) <= COVER_MAX_WIDTH:
            best_width, best = int(width), entry["name"]
    return best or image.file.name


def source_for(article):
    """The PosterSource of `article` (its section and cover loaded)."""
    return PosterSource(
        article_id=article.pk,
        slug=article.slug,
        title=article.title,
        summary=article.summary,
        section=article.section.name,
        language=article.language,
        published_at=article.published_at,
        updated_at=article.updated_at.isoformat() if article.updated_at else "",
        cover_name=cover_name(article.cover) if article.cover_id else "",
        short_code=article.short_code,
        live=article.is_live,
    )


def poster_target(user, section_slug, slug):
    """The PosterSource of the article at a page URL, or None if there is none for `user`.

    Live articles' sources are cached until the next content change; `user` is only looked
    at for articles that are not live (editors who may preview them).
    """
    key = pagecache.fragment_key(("qr-poster-source", "v1", section_slug, slug))
    current, source = pagecache.fetch(key)
    if source is not None:
        return source
    queryset = Article.objects.select_related("section", "cover").only(*SOURCE_FIELDS)
    article = queryset.filter(section__slug=section_slug, slug=slug).first()
    if article is None:
        return None
    if not article.is_live:
        return source_for(article) if workflow.can_view(user, article) else None
    source = source_for(article)
    pagecache.store(key, current, source, pagecache.cache_seconds())
    return source


def poster_file(source, size, short_code=None):
    """The poster PDF (a codes.File) of `source` at `size` ("a4", "a5"), its code holding
    `short_code`'s link (a placement's) or the article's own; cached by all it shows."""
    link = short_url(short_code or source.short_code)
    level = posters.poster_level()
    parts = (RENDER_VERSION, *source, size, link, level, settings.SITE_NAME)
    key = "newsroom:qr:poster:" + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()
    file = cache.get(key)
    if file is None:
        pdf = posters.render(poster_content(source, link), posters.SIZES[size])
        file = codes.File(
            content=pdf,
            content_type="application/pdf",
            etag='"' + hashlib.sha256(pdf).hexdigest()[:32] + '"',
        )
        cache.set(key, file, CACHE_SECONDS)
    return file


def poster_content(source, link):
    """The poster's texts in the article's own language (a Chinese article prints Chinese)."""
    with translation.override(source.language):
        issued = ""
        if source.published_at is not None:
            when = date_format(timezone.localtime(source.published_at), "DATETIME_FORMAT")
            issued = f"{gettext('Time of issue')}: {when}"
        return posters.PosterContent(
            site_name=settings.SITE_NAME,
            section=source.section,
            title=source.title,
            issued=issued,
            summary=source.summary,
            short_url=link,
            scan_hint=gettext("Scan the QR code to read on your phone"),
            banner="" if source.live else gettext("Preview: not published"),
            cover=_cover_bytes(source.cover_name),
        )


def _cover_bytes(name):
    if not name:
        return None
    try:
        with default_storage.open(name, "rb") as file:
            return file.read()
    except OSError as error:  # a missing file prints no cover, never a 500
        logger.warning("Poster cover %s unreadable: %s", name, error)
        return None
