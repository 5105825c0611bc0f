"""`reset_2fa` for a lost phone, and the start-up check of NEWSROOM_REQUIRE_2FA."""

import io
import logging

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp import devices_for_user

from accounts.checks import check_require_2fa
from audit.models import AuditEntry
from tests.accounts.conftest import sign_in_with_password

pytestmark = pytest.mark.django_db


def test_reset_2fa_removes_the_devices_logs_it_and_enrolment_follows(
    client, enrolled_editor, require_editors, caplog
):
    with caplog.at_level(logging.WARNING, logger="accounts"):
        call_command("reset_2fa", "editor", stdout=io.StringIO())
    assert list(devices_for_user(enrolled_editor, confirmed=None)) == []
    assert "two-factor sign-in reset for editor" in caplog.text
    entry = AuditEntry.objects.get(action=AuditEntry.Action.RESET_2FA)
    assert "editor" in entry.detail
    sign_in_with_password(client, "editor")
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:enrol"))


def test_reset_2fa_of_no_such_user_is_an_error(db):
    with pytest.raises(CommandError, match="nobody"):
        call_command("reset_2fa", "nobody")


@pytest.mark.parametrize("value, errors", [("editors", 0), ("all", 0), ("off", 0), ("yes", 1)])
def test_the_setting_is_checked(settings, value, errors):
    settings.NEWSROOM_REQUIRE_2FA = value
    found = check_require_2fa(None)
    assert len(found) == errors
    if errors:
        assert "NEWSROOM_REQUIRE_2FA" in found[0].msg
