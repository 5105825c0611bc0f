"""Showing a result: its title, summary and an excerpt of its body, query words marked."""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import Article
from search.text import body_text

SNIPPET_CHARS = 220


@dataclass(frozen=True)
class Result:
    """One article of the results list, as the search page shows it (safe HTML)."""

    article: Article
    title: str
    summary: str
    snippet: str


def marked(article, words):
    """`article` with `words` marked in its title, summary and body excerpt."""
    return Result(
        article=article,
        title=highlight(article.title, words),
        summary=highlight(article.summary, words),
        snippet=snippet(article, words),
    )


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
    text = body_text(article.body)
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
