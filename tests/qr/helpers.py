"""Helpers for the QR tests: the code files' addresses, and a real decoder (of pictures, and of
PDFs as a printer gets them: rasterised by pdfium)."""

import io

import pypdfium2
import zxingcpp
from django.urls import reverse
from PIL import Image

SVG_NS = "{http://www.w3.org/2000/svg}"


def decode(image_bytes):
    """Texts of the QR codes zxing-cpp finds in an image."""
    image = Image.open(io.BytesIO(image_bytes))
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def png_url(article):
    return reverse("qr:png", args=[article.section.slug, article.slug])


def svg_url(article):
    return reverse("qr:svg", args=[article.section.slug, article.slug])


def poster_url(article):
    return reverse("qr:poster", args=[article.section.slug, article.slug])


def rasterise(pdf_bytes, dpi):
    """Each page of a PDF as a Pillow image at `dpi`, drawn by pdfium (Chromium's PDF engine)."""
    document = pypdfium2.PdfDocument(pdf_bytes)
    try:
        return [page.render(scale=dpi / 72).to_pil() for page in document]
    finally:
        document.close()


def pdf_page_sizes_mm(pdf_bytes):
    document = pypdfium2.PdfDocument(pdf_bytes)
    try:
        return [tuple(round(v * 25.4 / 72) for v in page.get_size()) for page in document]
    finally:
        document.close()


def pdf_text(pdf_bytes):
    """The text a PDF's pages carry (what a reader copies out of it)."""
    document = pypdfium2.PdfDocument(pdf_bytes)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def decode_pdf(pdf_bytes, dpi):
    """Texts of the QR codes found on the PDF's pages rasterised at `dpi`."""
    found = []
    for image in rasterise(pdf_bytes, dpi):
        found += [
            r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        ]
    return found
