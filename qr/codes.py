"""QR codes for articles: encoded once with `qrcode`, drawn by us, cached.

qrcode's own image factories re-encode on every call and write one SVG sub-path per module.
Here a link is encoded once into its module matrix (cached by link and error level); the
inline SVG is one compact path of horizontal runs, and the PNG is the matrix scaled by a whole
number of pixels per module, so modules stay crisp. Every file (format, size) is cached with
its strong ETag, so after the first request no page render or QR request encodes or draws again.

Codes hold the article's short link (`SITE_URL/s/<code>/`, see models.py), which keeps them
small (version 2-3) whatever the length of the slug.
"""

import hashlib
import io
import os
from dataclasses import dataclass

import qrcode
import qrcode.constants
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils.html import escape
from django.utils.translation import gettext
from PIL import Image

ERROR_LEVELS = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}
QUIET_ZONE = 4  # modules of light margin on every side, as ISO/IEC 18004 asks
PNG_MIN_SIZE, PNG_MAX_SIZE, PNG_DEFAULT_SIZE = 128, 2048, 512
PRINT_PNG_SIZE = PNG_MAX_SIZE
SVG_PIXELS_PER_MODULE = 8  # the standalone SVG's nominal size; it scales freely
CACHE_SECONDS = 30 * 24 * 3600
# Bump when the drawing changes, so cached files from older code are not served.
RENDER_VERSION = 1


def logo_path():
    """NEWSROOM_QR_LOGO: an image file put in the centre of PNG codes, or "" for none."""
    return settings.NEWSROOM_QR_LOGO


def png_level():
    """PNGs with a logo use level H: the logo hides modules that error correction restores."""
    return "H" if logo_path() else error_level()


def error_level():
    """The site's error correction level (NEWSROOM_QR_ERROR: L, M, Q or H; checked at start-up
    by qr.checks, and here again for a value changed while running)."""
    level = settings.NEWSROOM_QR_ERROR.upper()
    if level not in ERROR_LEVELS:
        raise ImproperlyConfigured(f"NEWSROOM_QR_ERROR must be one of L, M, Q, H, not {level!r}.")
    return level


@dataclass(frozen=True)
class Code:
    """One encoded link: its QR version and module rows ("1" dark, "0" light), no quiet zone."""

    text: str
    level: str
    version: int
    rows: tuple[str, ...]

    @property
    def modules(self):
        """Modules per side, without the quiet zone."""
        return len(self.rows)

    @property
    def total(self):
        """Modules per side, with the quiet zone."""
        return len(self.rows) + 2 * QUIET_ZONE

    def path(self):
        """One SVG path stroking each horizontal run of dark modules, 1 module thick.

        A run from x to x+n on row y is the line `h n` at height y+.5; moves after
        the first are relative (`m2 0h3`), shorter than a rectangle per run.
        """
        parts = []
        cx = cy = None  # the pen after the previous run
        for y, row in enumerate(self.rows, start=QUIET_ZONE):
            start = row.find("1")
            while start >= 0:
                end = row.find("0", start)
                end = len(row) if end < 0 else end
                x = start + QUIET_ZONE
                if cx is None:
                    parts.append(f"M{x} {y}.5h{end - start}")
                else:
                    parts.append(f"m{x - cx} {y - cy}h{end - start}")
                cx, cy = x + end - start, y
                start = row.find("1", end)
        return "".join(parts)


@dataclass(frozen=True)
class File:
    """A rendered code file with its strong ETag (a quoted content hash)."""

    content: bytes
    content_type: str
    etag: str


def _key(*parts):
    raw = "|".join(str(p) for p in (RENDER_VERSION, *parts))
    return "newsroom:qr:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def _cached(key, build):
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CACHE_SECONDS)
    return value


def _encode(text, level):
    code = qrcode.QRCode(error_correction=ERROR_LEVELS[level], border=0)
    code.add_data(text)
    code.make(fit=True)
    rows = tuple("".join("1" if m else "0" for m in row) for row in code.get_matrix())
    return Code(text=text, level=level, version=code.version, rows=rows)


def encode(text, level=None):
    """The code for `text` (cached by text and level): the only place `qrcode` runs."""
    level = level or error_level()
    return _cached(_key("code", level, text), lambda: _encode(text, level))


def _svg_markup(size, path, label, attrs="", title=""):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}"{attrs} '
        f'role="img" aria-label="{escape(label)}" shape-rendering="crispEdges">{title}'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="none" stroke="#000" d="{path}"/></svg>'
    )


def _inline_path(text, level):
    code = encode(text, level)
    return code.total, code.path()


def svg(text, label=None, level=None):
    """Inline SVG markup for the page: dark modules on an opaque white square with quiet zone.

    The drawn path is cached by text and level; the label (translated per request)
    is put around it, which costs a string format, not a code.
    """
    level = level or error_level()
    size, path = _cached(_key("svg-inline", level, text), lambda: _inline_path(text, level))
    label = label or gettext("QR code linking to %(url)s") % {"url": text}
    return _svg_markup(size, path, label, attrs=' class="qr-code"')


def _file(content, content_type):
    etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
    return File(content=content, content_type=content_type, etag=etag)


def _build_svg_file(text, level):
    code = encode(text, level)
    pixels = code.total * SVG_PIXELS_PER_MODULE
    markup = _svg_markup(
        code.total,
        code.path(),
        text,
        attrs=f' width="{pixels}" height="{pixels}"',
        title=f"<title>{escape(text)}</title>",
    )
    return _file(markup.encode(), "image/svg+xml")


def svg_file(text, level=None):
    """A standalone SVG file of the code (cached by text and level), e.g. for print layout."""
    level = level or error_level()
    return _cached(_key("svg", level, text), lambda: _build_svg_file(text, level))


def draw_png(code, size):
    """The code as a `size`-pixel square 1-bit PNG: whole pixels per module, centred on white.

    Modules are never resampled (a fractional module width blurs the edges that
    scanners and printers need sharp); what is left over widens the quiet zone.
    Rows are packed as bits directly (each module row once, repeated `scale`
    times) rather than by resizing and converting a Pillow image, which is much slower.
    """
    scale = max(1, size // code.total)
    side = max(size, code.total * scale)
    margin = (side - code.total * scale) // 2 + QUIET_ZONE * scale  # light pixels before modules
    row_bytes = (side + 7) // 8
    width = code.modules * scale
    right = row_bytes * 8 - margin - width  # light pixels after, incl. the byte padding
    light_module = (1 << scale) - 1  # in mode "1" a set bit is white
    lines = []
    for row in code.rows:
        bits = 0
        for module in row:
            bits = (bits << scale) | (0 if module == "1" else light_module)
        line = (((1 << margin) - 1) << (width + right)) | (bits << right) | ((1 << right) - 1)
        lines.append(line.to_bytes(row_bytes, "big") * scale)
    light = b"\xff" * row_bytes
    data = light * margin + b"".join(lines) + light * (side - margin - code.modules * scale)
    buffer = io.BytesIO()
    Image.frombytes("1", (side, side), data).save(buffer, "PNG", compress_level=9)
    return buffer.getvalue()


def _logo_version(path):
    try:
        return os.stat(path).st_mtime_ns
    except OSError as error:
        raise ImproperlyConfigured(f"NEWSROOM_QR_LOGO: cannot read {path!r}: {error}") from error


def add_logo(png, code, path):
    """Paste the logo, on a white pad, over the centre fifth of the code (about 4% of its area,
    well within what level H restores)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    module = max(1, image.width // code.total)
    box = max(module, (code.modules // 5) * module)
    with Image.open(path) as logo:
        logo = logo.convert("RGBA")
        logo.thumbnail((box - 2 * module, box - 2 * module), Image.Resampling.LANCZOS)
    pad = Image.new("RGB", (box, box), "white")
    pad.paste(logo, ((box - logo.width) // 2, (box - logo.height) // 2), logo)
    image.paste(pad, ((image.width - box) // 2, (image.height - box) // 2))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _build_png(text, size, level, logo):
    code = encode(text, level)
    png = draw_png(code, size)
    return _file(add_logo(png, code, logo) if logo else png, "image/png")


def png_file(text, size=PNG_DEFAULT_SIZE, level=None):
    """A PNG of the code, `size` pixels square (cached by text, level, size and logo file)."""
    if not PNG_MIN_SIZE <= size <= PNG_MAX_SIZE:
        raise ValueError(f"size must be from {PNG_MIN_SIZE} to {PNG_MAX_SIZE}")
    level = level or png_level()
    logo = logo_path()
    logo_version = _logo_version(logo) if logo else ""
    return _cached(
        _key("png", level, size, logo, logo_version, text),
        lambda: _build_png(text, size, level, logo),
    )
