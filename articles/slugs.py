"""Slugs from titles, for any language.

Django's `slugify` drops every non-ASCII letter, so a Chinese title would give an
empty slug and a broken URL. Titles are transliterated with Unidecode first
("北京新闻" -> "bei-jing-xin-wen"); when even that leaves nothing (a title of
emoji or punctuation), the slug falls back to the date and the article's short
code, which is unique and known before the first save.
"""

from django.utils import timezone
from django.utils.text import slugify
from unidecode import unidecode

MAX_LENGTH = 200


def slug_from_title(title, max_length=MAX_LENGTH):
    """An ASCII slug for `title`, or "" when the title has nothing to transliterate."""
    slug = slugify(unidecode(title or ""))
    return slug[:max_length].strip("-")


def fallback_slug(article, when=None):
    """A date-and-id slug, e.g. "2025-03-01-x7k2mp", for titles that give no slug."""
    when = when or article.published_at or timezone.now()
    return f"{timezone.localtime(when):%Y-%m-%d}-{article.short_code}"


def slug_for(article, title):
    return slug_from_title(title) or fallback_slug(article)


def unique_in_section(slug, section_id, exclude_pk=None, queryset=None):
    """`slug`, or `slug-2`, `slug-3`, ... the first one free in the section."""
    from articles.models import Article

    queryset = queryset if queryset is not None else Article.objects.all()
    taken = set(
        queryset.filter(section_id=section_id, slug__startswith=slug)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    if slug not in taken:
        return slug
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = slug[: MAX_LENGTH - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        n += 1


def slug_taken(slug, section_id, exclude_pk=None):
    from articles.models import Article

    return Article.objects.filter(section_id=section_id, slug=slug).exclude(pk=exclude_pk).exists()
