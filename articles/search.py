"""Search over live articles' titles, summaries and bodies.

PostgreSQL: full-text search on the stored `search_vector` (GIN index, migration 0003),
ranked; title weighs A, summary B, body C. The vector is written after each save by a
queryset UPDATE (so `Article.save()` never has to know), with the language's text search
configuration: 'english' (stemmed) for English, 'simple' for the rest.
Chinese is written without spaces and PostgreSQL's parsers cannot split it, so a query
with CJK characters, and every query on SQLite, uses the portable fallback: each word
must appear in the title, summary or body (icontains), title hits first.

Any input is safe: queries are cut to MAX_QUERY_CHARS, control characters (NUL breaks
PostgreSQL) dropped, and all values go to the database as parameters.
"""

import html
import re
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from .models import Article

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
SNIPPET_CHARS = 220
CONFIGS = {"en": "english"}
DEFAULT_CONFIG = "simple"
CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u31ef\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0002fa1f]"
)
# Characters with a meaning in websearch syntax or plain punctuation: not part of a term.
TERM_SPLIT = re.compile(r"[\s\"'()<>|!&:*+\-,.;?/\\]+")


def clean_query(raw):
    """The query as the reader meant it: no control characters, trimmed, at most 200 chars."""
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") else ch
        for ch in (raw or "")[: MAX_QUERY_CHARS * 4]
    )
    return " ".join(text.split())[:MAX_QUERY_CHARS].strip()


def terms(query):
    """The distinct words of `query`, longest first (so highlighting prefers longer words)."""
    words = []
    for word in TERM_SPLIT.split(query):
        if word and word.lower() not in {w.lower() for w in words}:
            words.append(word)
    return sorted(words[:MAX_TERMS], key=len, reverse=True)


def has_cjk(text):
    return bool(CJK.search(text))


def uses_full_text(query):
    return connection.vendor == "postgresql" and not has_cjk(query)


def search(query):
    """Live articles matching `query`, best first, without bodies' vectors; [] when empty."""
    words = terms(query)
    if not words:
        return Article.objects.none()
    base = Article.objects.live().select_related("section", "cover").defer("search_vector")
    if uses_full_text(query):
        tsquery = SearchQuery(query, search_type="websearch", config="english") | SearchQuery(
            query, search_type="websearch", config=DEFAULT_CONFIG
        )
        return (
            base.filter(search_vector=tsquery)
            .annotate(rank=SearchRank(F("search_vector"), tsquery))
            .order_by("-rank", "-published_at", "-id")
        )
    matches = Q()
    score = Value(0)
    for word in words:
        matches &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        score = score + Case(
            When(title__icontains=word, then=Value(3)),
            When(summary__icontains=word, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    return base.filter(matches).annotate(rank=score).order_by("-rank", "-published_at", "-id")


# --- Showing results ------------------------------------------------------------------


def _pattern(words):
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None


def highlight(text, words):
    """`text` escaped, with each of `words` wrapped in <mark>: split first, then escape."""
    pattern = _pattern(words)
    if not text:
        return ""
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for found in pattern.finditer(text):
        out.append(escape(text[last : found.start()]))
        out.append("<mark>" + escape(found.group()) + "</mark>")
        last = found.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # every piece escaped above


def snippet(article, words):
    """A highlighted excerpt of the body around the first word found, or ''."""
    pattern = _pattern(words)
    if pattern is None or not article.body:
        return ""
    text = " ".join(html.unescape(strip_tags(article.body)).split())
    found = pattern.search(text)
    if found is None:
        return ""
    start = max(0, found.start() - SNIPPET_CHARS // 3)
    end = min(len(text), start + SNIPPET_CHARS)
    if start:  # do not cut a word in half
        space = text.find(" ", start, found.start())
        start = space + 1 if space != -1 else start
    excerpt = text[start:end]
    return highlight(("… " if start else "") + excerpt + (" …" if end < len(text) else ""), words)


# --- Keeping the stored vector current (PostgreSQL only) ------------------------------


def vector_for(language):
    config = CONFIGS.get(language, DEFAULT_CONFIG)
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("summary", weight="B", config=config)
        + SearchVector("body", weight="C", config=config)
    )


def update_search_vectors(queryset=None):
    """Recompute stored vectors (all articles by default); returns how many rows changed."""
    if connection.vendor != "postgresql":
        return 0
    queryset = Article.objects.all() if queryset is None else queryset
    changed = 0
    for language in queryset.values_list("language", flat=True).distinct().order_by():
        changed += queryset.filter(language=language).update(search_vector=vector_for(language))
    return changed


@receiver(post_save, sender=Article, dispatch_uid="articles.search.vector")
def article_saved(sender, instance, raw=False, **kwargs):
    if raw or connection.vendor != "postgresql":
        return
    Article.objects.filter(pk=instance.pk).update(search_vector=vector_for(instance.language))
