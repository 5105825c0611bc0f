"""Start-up check of NEWSROOM_REQUIRE_2FA: a misspelt value must not silently turn 2FA off."""

from django.conf import settings
from django.core.checks import Error, register

from accounts.policy import REQUIRE_CHOICES


@register()
def check_require_2fa(app_configs, **kwargs):
    value = settings.NEWSROOM_REQUIRE_2FA
    if value in REQUIRE_CHOICES:
        return []
    return [
        Error(
            f"NEWSROOM_REQUIRE_2FA={value!r} is not one of: {', '.join(REQUIRE_CHOICES)}.",
            hint="editors: editors and superusers must use two-factor sign-in; all: every "
            "staff user; off: nobody must (those who enrolled still give their code).",
            id="accounts.E001",
        )
    ]
