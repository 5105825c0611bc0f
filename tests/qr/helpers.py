"""Helpers for the QR tests: the code files' addresses, and a real decoder."""

import io

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
