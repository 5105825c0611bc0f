"""Two-factor sign-in in chromium, in production mode (DJANGO_DEBUG off, as the tests run):
a new editor's first sign-in ends in enrolment and then the admin home; the next one asks for
a code; a password alone never shows the admin."""

import re

import pytest
from django.contrib.auth.models import Group, Permission

from tests.articles.browser import phone_code, sign_in
from tests.site.test_a11y_browser import axe_problems

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "pw-new-editor-123"


@pytest.fixture
def new_editor(transactional_db, django_user_model, settings):
    settings.NEWSROOM_REQUIRE_2FA = "editors"
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(Permission.objects.get(codename="publish_article"))
    group.permissions.add(Permission.objects.get(codename="change_article"))
    user = django_user_model.objects.create_user("grace", "grace@example.com", PASSWORD)
    user.is_staff = True
    user.save()
    user.groups.add(group)
    return user


def test_first_sign_in_ends_in_enrolment_then_the_desk_and_the_next_asks_a_code(
    page, live_server, new_editor
):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "grace")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/2fa/enrol/"))
    # The password alone: every admin page leads back to enrolment.
    page.goto(f"{live_server.url}/admin/articles/article/")
    assert "/admin/2fa/enrol/" in page.url
    assert page.locator(".nr-otp-qr svg").count() == 1
    assert axe_problems(page) == []
    secret = page.text_content("#otp-secret")
    page.fill("#id_code", phone_code(secret))
    page.click("#otp-enrol-form input[type=submit]")
    assert page.locator("#recovery-codes li").count() == 10
    page.click("#otp-continue")
    # On to the page asked for before enrolment, then the desk (the admin home).
    page.wait_for_url(re.compile(r"/admin/articles/article/$"))
    page.goto(f"{live_server.url}/admin/")
    assert page.url.endswith("/admin/")
    assert page.locator("#user-tools").count() == 1

    # Signing out and in again: the password leads to the code page, never to the admin.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "grace")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/2fa/verify/"))
    assert axe_problems(page) == []
    page.goto(f"{live_server.url}/admin/")
    assert "/admin/2fa/verify/" in page.url
    page.fill("#id_code", "123456" if phone_code(secret) != "123456" else "654321")
    page.click("#otp-verify-form input[type=submit]")
    assert page.locator(".errorlist").count() == 1
    page.context.clear_cookies()
    # The shared helper does the same, with the app's next code.
    sign_in(page, live_server, "grace", PASSWORD, secret=secret)
