"""`python manage.py reset_2fa <username>`: for the person who lost their phone.

Removes their authenticator app and recovery codes; if 2FA is required of them, their next
sign-in ends in enrolment again. Logged, and written to the audit log.
"""

import logging

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts import devices
from audit.models import AuditEntry
from audit.recorder import record

log = logging.getLogger("accounts")


class Command(BaseCommand):
    help = "Remove a user's two-factor devices (authenticator app and recovery codes)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist as missing:
            raise CommandError(f"No user named {username!r}.") from missing
        removed = devices.reset(user)
        log.warning("two-factor sign-in reset for %s (%d device(s) removed)", username, removed)
        record(AuditEntry.Action.RESET_2FA, None, detail=f"{username}: {removed} device(s)")
        self.stdout.write(
            f"Two-factor sign-in reset for {username}: {removed} device(s) removed. "
            "They enrol again at their next sign-in."
        )
