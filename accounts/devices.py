"""The second factors a user holds: one authenticator app (TOTP) and one-time recovery codes.

Both are django-otp devices: TOTP refuses a code whose time step was already used (replay) and
slows down guessing (throttling); a static token is deleted when it is used, so a recovery code
works once.
"""

import base64
import logging

import qrcode
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage

log = logging.getLogger(__name__)

RECOVERY_CODES = 10


def pending_totp(user):
    """The unconfirmed authenticator device being enrolled (made on first call, then reused)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def config_qr_svg(device):
    """The otpauth:// link as an inline SVG QR code for the app to scan.

    Drawn here each time, never through the site's QR cache: the link holds the secret.
    """
    image = qrcode.make(device.config_url, image_factory=SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def secret_text(device):
    """The TOTP secret as authenticator apps take it typed in: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def confirm_totp(device, token):
    """Confirm `device` with a code from the app; returns the new recovery codes, or None."""
    if not device.verify_token(normalise(token)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # One app per user: a new phone (enrolled while signed in with the old one) replaces it.
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    return new_recovery_codes(device.user)


def new_recovery_codes(user):
    """Replace the user's recovery codes with a fresh set, returned once in plain text."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes")
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def remaining_recovery_codes(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def normalise(token):
    """Codes as people type them: spaces and dashes dropped, letters lower-cased."""
    return "".join(str(token).split()).replace("-", "").lower()


@transaction.atomic
def reset(user):
    """Remove every second factor of `user` (lost phone); returns how many devices went."""
    removed = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        removed += 1
    return removed
