"""Signing in step by step with the test client, and codes from a device as a phone makes them."""

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import devices

PASSWORDS = {"editor": "pw-editor-123", "writer": "pw-writer-123"}


def totp_code(device, offset_steps=0):
    """The code the phone shows now (or `offset_steps` steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in_with_password(client, username):
    """POST the admin's login form, as a browser does; returns the response."""
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": PASSWORDS[username], "next": reverse("admin:index")},
    )


@pytest.fixture
def require_editors(settings):
    settings.NEWSROOM_REQUIRE_2FA = "editors"


@pytest.fixture
def enrolled_editor(editor):
    """The editor with a confirmed authenticator app and recovery codes."""
    device = devices.pending_totp(editor)
    device.confirmed = True
    device.save()
    editor.recovery_codes = devices.new_recovery_codes(editor)
    editor.totp = TOTPDevice.objects.get(pk=device.pk)
    return editor
