"""The article behind a code: by its page URL (the code's files) or by its short link, which
is the article's own (its "Website" placement) or that of one of its printed placements."""

import re
from typing import NamedTuple

from articles import workflow
from articles.models import SHORT_CODE_ALPHABET, Article, short_url
from core import pagecache
from qr.models import Placement

SHORT_CODE_RE = re.compile(f"[{re.escape(SHORT_CODE_ALPHABET)}]{{1,16}}")
# Only what a redirect or a code's file needs: the article's body is never loaded.
LOOKUP_FIELDS = (
    "slug", "short_code", "status", "published_at", "expires_at", "language", "author_id",
    "section__slug",
)  # fmt: skip


class LiveArticle(NamedTuple):
    """What a live article's code files need, cached per content generation."""

    slug: str
    short_code: str


class CodeTarget(NamedTuple):
    """What a code's file is made of."""

    slug: str  # names the downloaded file
    short_url: str  # what the code holds
    public: bool  # a live article's: shared caches may keep the file


def code_target(user, section_slug, slug):
    """The CodeTarget of the article of a page URL, or None if there is none for `user`.

    A live article's slug and short code are cached until the next change of content (an edit,
    unpublish or delete), so a warm code costs no query. `user` (and so the session) is only
    looked at for articles that are not live: public files do not vary by cookie.
    """
    # "v2": a LiveArticle; a bare tuple was stored before.
    key = pagecache.fragment_key(("qr-target", "v2", section_slug, slug))
    current, live = pagecache.fetch(key)
    if live is None:
        article = _lookup(section__slug=section_slug, slug=slug)
        if article is None:
            return None
        if not article.is_live:
            if not workflow.can_view(user, article):
                return None
            return CodeTarget(article.slug, article.get_short_url(), public=False)
        live = LiveArticle(article.slug, article.short_code)
        pagecache.store(key, current, live, pagecache.cache_seconds())
    return CodeTarget(live.slug, short_url(live.short_code), public=True)


def article_for_short_code(code):
    """The article a short link names (case-insensitive: a printed link may be typed in
    capitals), or None for an unknown or malformed code."""
    code = code.lower()
    if not SHORT_CODE_RE.fullmatch(code):
        return None
    return _lookup(short_code=code)


def placement_for_short_code(code):
    """The placement a short link names, with its article (one query), or None."""
    code = code.lower()
    if not SHORT_CODE_RE.fullmatch(code):
        return None
    fields = ("article_id", "short_code", *(f"article__{f}" for f in LOOKUP_FIELDS))
    queryset = Placement.objects.select_related("article__section").only(*fields)
    try:
        return queryset.get(short_code=code)
    except Placement.DoesNotExist:
        return None


def _lookup(**where):
    queryset = Article.objects.select_related("section").only(*LOOKUP_FIELDS)
    try:
        return queryset.get(**where)
    except Article.DoesNotExist:
        return None
