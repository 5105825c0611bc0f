"""Start-up checks of the articles app's settings: a misspelt switch fails `manage.py check`
instead of quietly reading as off."""

import os

from django.conf import settings
from django.core import checks

BOOLEAN_WORDS = ("true", "false", "on", "off", "yes", "no", "y", "n", "1", "0", "ok", "")


@checks.register()
def check_show_untranslated(app_configs=None, **kwargs):
    value = settings.NEWSROOM_SHOW_UNTRANSLATED
    raw = os.environ.get("NEWSROOM_SHOW_UNTRANSLATED")
    if isinstance(value, bool) and (raw is None or raw.strip().lower() in BOOLEAN_WORDS):
        return []
    shown = raw if raw is not None and isinstance(value, bool) else value
    return [
        checks.Error(
            f"NEWSROOM_SHOW_UNTRANSLATED is {shown!r}; it must be true or false.",
            hint='Set it to "true" (lists show other-language stories, labelled) or "false".',
            id="articles.E001",
        )
    ]
