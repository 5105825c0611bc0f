"""Where uploaded media is served from, when that is not the site itself.

With media on S3 (or behind a CDN, or an absolute MEDIA_URL) pages point at another origin:
the Content-Security-Policy must allow its images (`core.csp`) and the HTML sanitiser keeps
body images from there and from the site only (`articles.sanitize`). Both read it here, from
the storage's own URLs, so a change of bucket or domain needs no second setting.
"""

from functools import cache
from urllib.parse import urlsplit

from django.core.files.storage import default_storage
from django.core.signals import setting_changed

WATCHED_SETTINGS = ("STORAGES", "MEDIA_URL")


def origin_of(url):
    """`scheme://host[:port]` of an absolute URL, lower-cased; None for a relative one."""
    parts = urlsplit(url or "")
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


@cache
def media_base_url():
    """What every media URL starts with: MEDIA_URL, or the bucket's (or CDN's) URL and prefix."""
    # Any name will do: storages build URLs without asking the bucket (no network here).
    return default_storage.url("o").removesuffix("o")


def media_origin():
    """The origin media URLs point at, or None when they are relative (served by the site)."""
    return origin_of(media_base_url())


def forget_media_origin(setting, **kwargs):
    if setting in WATCHED_SETTINGS:
        media_base_url.cache_clear()


def connect():
    """Follow a test's change of storage (called from CoreConfig.ready)."""
    setting_changed.connect(forget_media_origin, dispatch_uid="core-media-origin")
