"""The typefaces of printed posters, embedded: Bitstream Vera for text it covers, else
WenQuanYi Micro Hei (Latin and Chinese alike).

reportlab's built-in CJK fonts are not embedded in the PDF (a print shop's RIP, pdfium or
poppler would substitute or drop them), so posters embed a subset of a TrueType font that
covers their text. Vera ships inside reportlab; Micro Hei comes from PyPI
(`paperang-p2-fonts-cjk`, pinned): no system font is needed after
`pip install -r requirements.txt`. Micro Hei is loaded only by a poster that needs it: parsing it
takes a worker's memory and a moment (docs/decisions.md).
"""

import functools
from importlib import resources

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

LATIN_NAME, CJK_NAME = "NewsroomPosterLatin", "NewsroomPosterCJK"
CJK_PACKAGE, CJK_FILE = "paperang_p2_fonts_cjk", "fonts/wqy-microhei.ttc"
CJK_FACE = 0  # the collection's proportional face (1 is its monospaced one)


def cjk_font_path():
    """Where the installed CJK font file is (a plain file inside the wheel's package)."""
    return str(resources.files(CJK_PACKAGE).joinpath(CJK_FILE))


@functools.cache
def _latin():
    font = TTFont(LATIN_NAME, "Vera.ttf")  # found on reportlab's own font path
    pdfmetrics.registerFont(font)
    return frozenset(font.face.charToGlyph)


@functools.cache
def cjk_font():
    """The registered CJK font's name; its file is parsed once per process."""
    pdfmetrics.registerFont(TTFont(CJK_NAME, cjk_font_path(), subfontIndex=CJK_FACE))
    return CJK_NAME


def poster_font(text=""):
    """The name of a registered font that has every character of `text`."""
    covered = _latin()
    if all(ord(character) in covered for character in text if not character.isspace()):
        return LATIN_NAME
    return cjk_font()
