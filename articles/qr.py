"""QR codes for articles, drawn from the module matrix.

qrcode's own SVG factory writes one sub-path per module (~24 kB); here the
matrix becomes one compact path of horizontal runs, a few kB. Codes are cached
by their content, so after the first render no request computes one again.
"""

import hashlib

import qrcode
import qrcode.constants
from django.conf import settings
from django.core.cache import cache
from django.utils.html import escape

ERROR_LEVELS = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}
QUIET_ZONE = 4  # modules, as the standard asks


def error_level():
    return getattr(settings, "NEWSROOM_QR_ERROR", "M")


def matrix(text, level=None):
    """The module matrix (rows of booleans) without quiet zone."""
    code = qrcode.QRCode(error_correction=ERROR_LEVELS[level or error_level()], border=0)
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix()


def svg_path(rows):
    """One path of horizontal runs: `M x y h n v1 h-n z` per run of dark modules."""
    parts = []
    for y, row in enumerate(rows):
        x, width = 0, len(row)
        while x < width:
            if row[x]:
                start = x
                while x < width and row[x]:
                    x += 1
                parts.append(f"M{start + QUIET_ZONE} {y + QUIET_ZONE}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return "".join(parts)


def _cache_key(kind, text, level):
    digest = hashlib.sha256(f"{kind}|{level}|{text}".encode()).hexdigest()[:32]
    return f"newsroom:qr:{digest}"


def svg(text, label=None, level=None):
    """An inline SVG of `text`'s code: dark on an opaque white square, with quiet zone."""
    level = level or error_level()
    key = _cache_key("svg", f"{text}|{label}", level)
    cached = cache.get(key)
    if cached is not None:
        return cached
    rows = matrix(text, level)
    size = len(rows) + 2 * QUIET_ZONE
    label = escape(label or text)
    markup = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'role="img" aria-label="{label}" shape-rendering="crispEdges" class="qr-code">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{svg_path(rows)}"/></svg>'
    )
    cache.set(key, markup, None)
    return markup
