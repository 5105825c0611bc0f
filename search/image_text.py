"""The words of the pictures an article shows: its cover's and its body images' alt text and
captions, as the image library holds them now (an editor may change them after insertion).

Both search indexes hold these words beside the article's own text, so a reader finds an
article by what its photos show. Bodies name library images by URL (`articles.rendering`).
"""

import html
import re

from django.db.models import Q

from articles.models import Article
from articles.rendering import storage_name
from media.models import Image

SRC_RE = re.compile(r'<img\b[^>]*?\bsrc="([^"]*)"')


def body_image_names(body):
    """Storage names of the library files a body's <img> tags show."""
    names = {storage_name(html.unescape(src)) for src in SRC_RE.findall(body or "")}
    names.discard(None)
    return names


def texts_of(rows):
    """{article id: its images' words} for (id, cover id, body) rows, with one image query."""
    wanted = {pk: (cover_id, body_image_names(body)) for pk, cover_id, body in rows}
    cover_ids = {cover_id for cover_id, _names in wanted.values() if cover_id}
    names = set().union(*(names for _cover, names in wanted.values()))
    if not cover_ids and not names:
        return {}
    images = Image.objects.filter(Q(pk__in=cover_ids) | Q(file__in=names)).order_by()
    by_id, by_name = {}, {}
    for pk, name, alt_text, caption in images.values_list("pk", "file", "alt_text", "caption"):
        by_id[pk] = by_name[name] = " ".join(part for part in (alt_text, caption) if part)
    texts = {}
    for pk, (cover_id, body_names) in wanted.items():
        parts = [by_id.get(cover_id, "")] + [by_name.get(name, "") for name in sorted(body_names)]
        texts[pk] = " ".join(part for part in parts if part)
    return texts


def image_text(article):
    """The words of `article`'s pictures ("" when it shows none)."""
    return texts_of([(article.pk, article.cover_id, article.body)]).get(article.pk, "")


def articles_showing(image):
    """Articles whose cover is `image` or whose body shows its file."""
    url = image.file.storage.url(image.file.name) if image.file else None
    # A loose test (the URL anywhere in the body) that may reindex an article for nothing.
    shown_in_body = Q(body__contains=url) if url else Q(pk__in=[])
    return Article.objects.filter(Q(cover=image) | shown_in_body)
