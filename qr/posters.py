"""Printable posters of an article: one PDF page with its title, summary, cover and a large QR code.

Drawn with reportlab's canvas (see docs/decisions.md): text as real, embedded type
(`poster_fonts`), the code as vector squares from the same module matrix as the page's code
(`codes.encode`), so it stays sharp at any print size. Everything is placed top-down in boxes
that shrink (and at last cut) their text to fit: a 300-character title wraps within the page
and never pushes the code off it. The output is deterministic (no creation date inside), so
equal content gives equal bytes and ETags.
"""

import io
import re
import tempfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import ParagraphStyle

from qr import codes
from qr.poster_fonts import poster_font

# Binary streams, not ASCII85: a quarter smaller, and reportlab's pure-Python ASCII85 encoder
# was most of a cold poster's time with a cover picture (docs/decisions.md).
rl_config.useA85 = 0

GREY = Color(0.33, 0.33, 0.33)
BANNER = Color(0.7, 0.1, 0.1)
ELLIPSIS = "…"
CJK_RE = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


@dataclass(frozen=True)
class PosterSize:
    """A paper size and what scales with it. `qr_side` is the side of the code's modules,
    without the quiet zone (ISO 18004's 4 light modules are kept clear around it)."""

    name: str
    page: tuple  # width, height in points
    margin: float
    scale: float  # of the type sizes
    qr_side: float


SIZES = {
    "a4": PosterSize("a4", A4, margin=16 * mm, scale=1.0, qr_side=75 * mm),
    "a5": PosterSize("a5", A5, margin=11 * mm, scale=0.72, qr_side=60 * mm),
}
DEFAULT_SIZE = "a4"
# Poster codes are read from a wall at an angle, under glare: never below level M.
MIN_LEVEL = "M"


@dataclass(frozen=True)
class PosterContent:
    """Everything a poster shows, as plain (already translated) text."""

    site_name: str
    section: str
    title: str
    issued: str  # "Time of issue: ..." or ""
    summary: str
    short_url: str
    scan_hint: str  # "Scan the QR code to read on your phone"
    banner: str = ""  # a draft's "Preview: not published"
    cover: bytes | None = None  # a JPEG or PNG


def poster_level():
    """The site's error correction level, raised to M if it is L."""
    level = codes.error_level()
    return MIN_LEVEL if level == "L" else level


def render(content, size):
    """The poster as PDF bytes, one page of `size` (a PosterSize)."""
    buffer = io.BytesIO()
    height = size.page[1]
    font = poster_font(" ".join(texts(content)))
    canvas = Canvas(
        buffer, pagesize=size.page, invariant=True, pageCompression=1, initialFontName=font
    )
    canvas.setTitle(content.title)
    canvas.setAuthor(content.site_name)
    canvas.setSubject(content.short_url)
    layout = _Layout(canvas, size, font, top=height - size.margin)
    if content.banner:
        layout.banner(content.banner)
    layout.line(f"{content.site_name} · {content.section}", 12, GREY)
    layout.rule()
    layout.paragraph(content.title, 30, min_size=12, budget=0.3, gap=6)
    if content.issued:
        layout.line(content.issued, 11, GREY)
    qr_top = _draw_code_block(canvas, size, content, font)
    space = layout.top - qr_top - 8 * mm
    if content.cover is not None and space > 40 * mm:
        # The picture takes what the summary leaves (the summary keeps at least 45%).
        summary = layout.measure(content.summary, 14, min_size=8, limit=space * 0.45)
        layout.image(content.cover, max_height=space - summary - 12 * mm)
    layout.paragraph(content.summary, 14, min_size=8, budget=None, bottom=qr_top + 6 * mm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


class _Layout:
    """Places blocks from the top of the page down; `top` is where the next one starts."""

    def __init__(self, canvas, size, font, top):
        self.canvas, self.size, self.font, self.top = canvas, size, font, top
        self.left = size.margin
        self.width = size.page[0] - 2 * size.margin

    def banner(self, text):
        band = 12 * mm * self.size.scale
        self.canvas.setFillColor(BANNER)
        self.canvas.rect(self.left, self.top - band, self.width, band, stroke=0, fill=1)
        self.canvas.setFillColor(white)
        font_size = 14 * self.size.scale
        self.canvas.setFont(self.font, font_size)
        self.canvas.drawCentredString(
            self.left + self.width / 2, self.top - band / 2 - font_size / 3, text
        )
        self.top -= band + 5 * mm

    def line(self, text, points, color):
        font_size = points * self.size.scale
        text = fit_line(text, self.font, font_size, self.width)
        self.canvas.setFillColor(color)
        self.canvas.setFont(self.font, font_size)
        self.canvas.drawString(self.left, self.top - font_size, text)
        self.top -= font_size * 1.6

    def rule(self):
        self.canvas.setStrokeColor(GREY)
        self.canvas.setLineWidth(0.5)
        self.canvas.line(self.left, self.top, self.left + self.width, self.top)
        self.top -= 5 * mm

    def paragraph(self, text, points, *, min_size, budget, bottom=None, gap=4):
        """Wrap `text` into the width, shrinking it (down to `min_size`) and at last cutting
        it to fit a `budget` share of the page's height, or the space above `bottom`."""
        if not text:
            return
        limit = self.size.page[1] * budget if budget else self.top - bottom
        if limit <= 0:
            return
        scale = self.size.scale
        block = fit_paragraph(text, self.font, points * scale, min_size * scale, self.width, limit)
        if block is None:
            return
        paragraph, used = block
        self.canvas.setFillColor(black)
        paragraph.drawOn(self.canvas, self.left, self.top - used)
        self.top -= used + gap * mm

    def measure(self, text, points, *, min_size, limit):
        """The height `paragraph` would give `text` within `limit` (0 for none)."""
        scale = self.size.scale
        block = text and fit_paragraph(
            text, self.font, points * scale, min_size * scale, self.width, limit
        )
        return block[1] if block else 0

    def image(self, data, max_height):
        reader = ImageReader(io.BytesIO(data))
        pixels_wide, pixels_high = reader.getSize()
        ratio = min(self.width / pixels_wide, max_height / pixels_high)
        width, height = pixels_wide * ratio, pixels_high * ratio
        x = self.left + (self.width - width) / 2
        # From a file, reportlab embeds a JPEG as it is; from an ImageReader it would decode
        # it first to fingerprint its pixels.
        with tempfile.NamedTemporaryFile(suffix=".img") as file:
            file.write(data)
            file.flush()
            self.canvas.drawImage(file.name, x, self.top - height, width, height, mask="auto")
        self.top -= height + 5 * mm


def fit_line(text, font, size, width):
    """`text` on one line of `width`, cut with an ellipsis if it is longer."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + ELLIPSIS, font, size) > width:
        text = text[:-1]
    return text + ELLIPSIS


def _style(font, size, text, width):
    # Chinese wraps between any two characters; so must a word wider than the line.
    words = text.split()
    too_wide = any(stringWidth(word, font, size) > width for word in words)
    return ParagraphStyle(
        "poster",
        fontName=font,
        fontSize=size,
        leading=size * 1.25,
        wordWrap="CJK" if too_wide or CJK_RE.search(text) else None,
    )


def _wrapped(text, font, size, width):
    paragraph = Paragraph(escape(text), _style(font, size, text, width))
    _w, height = paragraph.wrap(width, 10_000)
    return paragraph, height


def fit_paragraph(text, font, size, min_size, width, limit):
    """(Paragraph, height) of `text` within `width` x `limit`: the largest size from `size`
    down to `min_size` that fits, else `min_size` with the text cut (ellipsis) until it does;
    None when not even one line fits."""
    while size >= min_size:
        paragraph, height = _wrapped(text, font, size, width)
        if height <= limit:
            return paragraph, height
        size -= 1
    size = min_size
    low, high = 0, len(text)  # the longest cut that fits, by bisection
    best = None
    while low < high:
        middle = (low + high + 1) // 2
        paragraph, height = _wrapped(text[:middle].rstrip() + ELLIPSIS, font, size, width)
        if height <= limit:
            low, best = middle, (paragraph, height)
        else:
            high = middle - 1
    return best


def texts(content):
    """Every text the poster prints."""
    return (
        content.site_name, content.section, content.title, content.issued, content.summary,
        content.short_url, content.scan_hint, content.banner, ELLIPSIS,
    )  # fmt: skip


def _draw_code_block(canvas, size, content, font):
    """The code (modules `size.qr_side` wide, on white with its quiet zone), the short link
    and the hint under it, at the foot of the page; returns the block's top."""
    code = codes.encode(content.short_url, poster_level())
    module = size.qr_side / code.modules
    side = module * code.total
    link_size, hint_size = 16 * size.scale, 11 * size.scale
    x = (size.page[0] - side) / 2
    bottom = size.margin
    canvas.setFillColor(GREY)
    canvas.setFont(font, hint_size)
    width = size.page[0] - 2 * size.margin
    canvas.drawCentredString(
        size.page[0] / 2, bottom, fit_line(content.scan_hint, font, hint_size, width)
    )
    # The link is typed in by hand when a camera fails: smaller, never cut.
    while link_size > 6 and stringWidth(content.short_url, font, link_size) > width:
        link_size -= 0.5
    canvas.setFillColor(black)
    canvas.setFont(font, link_size)
    link_y = bottom + hint_size * 1.8
    canvas.drawCentredString(size.page[0] / 2, link_y, content.short_url)
    y = link_y + link_size * 0.9
    canvas.setFillColor(white)
    canvas.rect(x, y, side, side, stroke=0, fill=1)
    draw_modules(
        canvas, code, x + codes.QUIET_ZONE * module, y + side - codes.QUIET_ZONE * module, module
    )
    return y + side


def draw_modules(canvas, code, left, top, module):
    """The dark modules as one filled path of runs (one rectangle per run of a row)."""
    path = canvas.beginPath()
    for row_index, row in enumerate(code.rows):
        y = top - (row_index + 1) * module
        start = row.find("1")
        while start >= 0:
            end = row.find("0", start)
            end = len(row) if end < 0 else end
            path.rect(left + start * module, y, (end - start) * module, module)
            start = row.find("1", end)
    canvas.setFillColor(black)
    canvas.drawPath(path, stroke=0, fill=1)
