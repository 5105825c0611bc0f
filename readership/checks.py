"""Start-up checks of the view-counting settings: a misspelt choice fails `manage.py check`."""

from django.conf import settings
from django.core import checks

COUNTING_MODES = ("server", "beacon")
VIEW_STORES = ("database", "redis")
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def _choice(name, choices, check_id):
    value = getattr(settings, name)
    if value in choices:
        return []
    return [
        checks.Error(
            f"{name} is {value!r}; it must be one of {', '.join(map(repr, choices))}.",
            hint=f'Set the {name} environment variable to one of these (README "Settings").',
            id=check_id,
        )
    ]


def _seconds(name, check_id):
    value = getattr(settings, name)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return []
    return [
        checks.Error(
            f"{name} is {value!r}; it must be a whole number of seconds, 0 or more.",
            id=check_id,
        )
    ]


@checks.register()
def check_view_counting(app_configs=None, **kwargs):
    errors = [
        *_choice("NEWSROOM_VIEW_COUNTING", COUNTING_MODES, "readership.E001"),
        *_choice("NEWSROOM_VIEW_STORE", VIEW_STORES, "readership.E002"),
        *_seconds("NEWSROOM_VIEW_WINDOW", "readership.E004"),
        *_seconds("NEWSROOM_VIEW_FLUSH", "readership.E005"),
    ]
    url = settings.NEWSROOM_VIEW_REDIS_URL or ""
    if settings.NEWSROOM_VIEW_STORE == "redis" and not url.startswith(REDIS_SCHEMES):
        errors.append(
            checks.Error(
                f"NEWSROOM_VIEW_STORE is 'redis' but NEWSROOM_VIEW_REDIS_URL is {url!r}, "
                "not a Redis URL.",
                hint="Set NEWSROOM_VIEW_REDIS_URL (or REDIS_URL), e.g. redis://127.0.0.1:6379/0.",
                id="readership.E003",
            )
        )
    return errors
