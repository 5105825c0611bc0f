"""Start-up checks for the content API's settings (`manage.py check`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

from api.throttling import parse_rate

HINT = "Set it in the environment (see newsroom/settings.py), or leave it unset for the default."


def _is_count(value, minimum):
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def _rate_errors(name, value, error_id):
    """A misspelt rate would fail every request it limits; a limit of 0 would refuse them all."""
    try:
        rate = parse_rate(value)
    except ValueError:
        rate = None
    else:
        if rate is None or rate.limit > 0:
            return []
    message = (
        f"{name} must be a number of requests per s, min, hour or day, such as '600/min', "
        f"or 'off' for no limit; not {value!r}."
    )
    return [checks.Error(message, hint=HINT, id=error_id)]


@checks.register()
def check_rate_limits(app_configs=None, **kwargs):
    return _rate_errors("NEWSROOM_API_RATE", settings.NEWSROOM_API_RATE, "api.E001") + (
        _rate_errors("NEWSROOM_API_VIEW_RATE", settings.NEWSROOM_API_VIEW_RATE, "api.E002")
    )


@checks.register()
def check_page_size(app_configs=None, **kwargs):
    size = settings.NEWSROOM_API_MAX_PAGE_SIZE
    if _is_count(size, 1):
        return []
    message = f"NEWSROOM_API_MAX_PAGE_SIZE must be a whole number above 0, not {size!r}."
    return [checks.Error(message, hint=HINT, id="api.E003")]


def _is_origin(value):
    """'*', or scheme://host[:port] as a browser sends it in Origin (no path, no slash)."""
    if value == "*":
        return True
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.netloc)
        and not (parts.path or parts.query or parts.fragment)
    )


@checks.register()
def check_cors_origins(app_configs=None, **kwargs):
    """An origin written as a URL ("https://app.example.com/") would never match silently."""
    wrong = [origin for origin in settings.NEWSROOM_API_CORS_ORIGINS if not _is_origin(origin)]
    if not wrong:
        return []
    message = (
        f"NEWSROOM_API_CORS_ORIGINS holds {', '.join(map(repr, wrong))}: each must be an "
        "origin as browsers send it (https://app.example.com: no path, no trailing slash), "
        "or '*' for any."
    )
    return [checks.Error(message, hint=HINT, id="api.E004")]


@checks.register()
def check_num_proxies(app_configs=None, **kwargs):
    """The rate limit trusts X-Forwarded-For only as far as this says (ninja's get_ident)."""
    proxies = settings.NINJA_NUM_PROXIES
    if _is_count(proxies, 0):
        return []
    message = (
        "NEWSROOM_NUM_PROXIES must be the number of proxies in front of the site that set "
        f"X-Forwarded-For (0 or more), not {proxies!r}."
    )
    return [checks.Error(message, hint=HINT, id="api.E005")]
