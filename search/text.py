"""An article's body as a reader sees it: what the SQLite index holds and snippets show."""

import html
import re

from django.core.exceptions import SuspiciousOperation
from django.utils.html import strip_tags

_TAG = re.compile(r"<[^<>]*>")
# Where the regular expression and HTMLParser could disagree: a "<" not opening a plain tag
# (comments, doctypes, "a < b"), raw-text elements, and "&" not starting a whole reference.
# Only the element names ignore case: with re.IGNORECASE, [a-zA-Z] would also match "İ" and
# the Kelvin sign, which HTMLParser does not take for a tag's first letter.
_NOT_PLAIN = re.compile(
    r"<(?!/?[a-zA-Z])"
    r"|<(?i:script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext)\b"
    r"|&(?![a-zA-Z][-.a-zA-Z0-9]*;|#[0-9]+;|#[xX][0-9a-fA-F]+;)"
)


def body_text(body):
    """The body with tags stripped, entities unescaped, spaces collapsed.

    So markup ("figure", "class") is never found. strip_tags() parses with HTMLParser, too
    slow for rebuilding a big site's index; markup as sanitize_html writes it (every "<"
    opens a plain tag, every "&" a complete reference, no comments or script) is stripped by
    a regular expression to the same text, and anything else goes through strip_tags().
    """
    if not body:
        return ""
    text = None
    if not _NOT_PLAIN.search(body):
        stripped = _TAG.sub("", body)
        if "<" not in stripped and ">" not in stripped:
            text = stripped
    if text is None:
        try:
            text = strip_tags(body)
        except SuspiciousOperation:  # absurdly nested markup: keep the words anyway
            text = _TAG.sub(" ", body)
    return " ".join(html.unescape(text).split())


def searched_text(title, summary, body, images_text=""):
    """Everything a search looks in, as one text: title, summary, body and pictures' words."""
    return " ".join(part for part in (title, summary, body_text(body), images_text) if part)
