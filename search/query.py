"""The reader's query: cleaned of what no one types, cut to length, split into words.

Any input is safe: queries are cut to MAX_QUERY_CHARS and control characters (NUL breaks
PostgreSQL) are dropped before anything reaches the database. What a query may cost is
bounded here too: MAX_INDEXED_RESULTS, shared by SQLite's and PostgreSQL's search.
"""

import re
import unicodedata

from django.db import connection

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
# A search ranks at most this many of its newest matches, on either database (the index's
# subquery stops there), so a word found in most of a big site costs what a rare word costs;
# the page then says "the 500 newest of many results" (docs/decisions.md, "Search").
MAX_INDEXED_RESULTS = 500
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


def was_cut(raw, query):
    """Whether clean_query() dropped words of `raw` for length (the page then says so)."""
    return len(raw) > len(query) and len(raw.strip()) > MAX_QUERY_CHARS


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
    """Whether PostgreSQL's full-text search answers `query`: its parsers cannot split
    Chinese (written without spaces), so a query with CJK characters matches by words."""
    return connection.vendor == "postgresql" and not has_cjk(query)
