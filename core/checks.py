"""Start-up checks of the settings every app leans on (`manage.py check`, and every command)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks


@checks.register()
def check_site_url(app_configs, **kwargs):
    """SITE_URL is the origin of every absolute link: scheme and host, nothing after."""
    url = settings.SITE_URL
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except (TypeError, ValueError, AttributeError):
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        return [
            checks.Error(
                f"SITE_URL is {url!r}, which is not an absolute http(s) address of a site.",
                hint="Give the scheme and host only, e.g. https://news.example.com (canonical "
                "links, feeds, sitemaps and QR codes are built from it).",
                id="core.E001",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_site_url_scheme(app_configs, **kwargs):
    https_on = settings.HTTPS or settings.SECURE_SSL_REDIRECT
    if https_on and str(settings.SITE_URL).startswith("http://"):
        return [
            checks.Warning(
                f"SITE_URL is {settings.SITE_URL!r} while HTTPS is on.",
                hint="Every canonical link, feed, sitemap and printed QR code would point at a "
                "redirect: set SITE_URL to the https:// address.",
                id="core.W001",
            )
        ]
    return []


# (setting, least value, check id)
LOWER_BOUNDS = (
    ("NEWSROOM_CACHE_SECONDS", 0, "core.E002"),
    ("NEWSROOM_PAGE_SIZE", 1, "core.E003"),
    ("NEWSROOM_SQLITE_CHECKPOINT_SECONDS", 0, "core.E004"),
)


@checks.register()
def check_lower_bounds(app_configs, **kwargs):
    errors = []
    for name, least, check_id in LOWER_BOUNDS:
        value = getattr(settings, name)
        if not isinstance(value, int | float) or value < least:
            errors.append(
                checks.Error(
                    f"{name} is {value!r}; it must be a number of at least {least}.", id=check_id
                )
            )
    return errors
