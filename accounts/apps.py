from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Two-factor sign-in")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts import checks, policy  # noqa: F401  (registers the system check)

        user_logged_in.connect(policy.remember_second_step, dispatch_uid="accounts-second-step")
