"""Absolute links, always from SITE_URL: QR codes, feeds, sitemaps, canonical links and the API
must not point wherever a request's Host header said."""

from django.conf import settings


def absolute_url(url):
    """`url` made absolute with SITE_URL; absolute URLs (object storage, a CDN) pass through,
    scheme-relative ones take SITE_URL's scheme."""
    if not url:
        return ""
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return settings.SITE_URL.split(":", 1)[0] + ":" + url
    return settings.SITE_URL + ("" if url.startswith("/") else "/") + url
