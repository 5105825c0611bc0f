"""Signing in to the admin in a real browser, as the desk editor (conftest's `desk_editor`).

With two-factor sign-in on (NEWSROOM_REQUIRE_2FA), the second step is done as a person would:
enrolling reads the key off the page, verifying takes the code the phone would show.
"""

import base64
import re

from django_otp.oath import TOTP

DESK_USERNAME = "desk"
DESK_PASSWORD = "pw-desk-12345"
AFTER_PASSWORD = re.compile(r"/admin/(2fa/(verify|enrol)/.*)?$")


def phone_code(secret_base32, steps_ahead=0):
    """The six digits an authenticator app shows for this key now (or `steps_ahead` 30-second
    steps later: the server accepts one step of clock drift, and refuses a code used before)."""
    secret = secret_base32.replace(" ", "")
    totp = TOTP(base64.b32decode(secret + "=" * (-len(secret) % 8)))
    totp.time += 30 * steps_ahead
    return f"{totp.token():06d}"


def sign_in(page, live_server, username, password, secret=None):
    """Password, then (if asked) enrolment or a code; returns the key the user enrolled with."""
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(AFTER_PASSWORD)
    if "/2fa/enrol/" in page.url:
        secret = page.text_content("#otp-secret")
        page.fill("#id_code", phone_code(secret))
        page.click("#otp-enrol-form input[type=submit]")
        page.click("#otp-continue")
    elif "/2fa/verify/" in page.url:
        page.fill("#id_code", phone_code(secret, steps_ahead=1))
        page.click("#otp-verify-form input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    return secret


def sign_in_as_desk(page, live_server):
    """Fill the admin's login form (and any second step) and wait for the admin index."""
    sign_in(page, live_server, DESK_USERNAME, DESK_PASSWORD)
