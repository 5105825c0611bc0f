"""Two-factor sign-in through the test client: a password alone never reaches the admin for
those who must use a second factor; codes cannot be replayed; recovery codes work once."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.conftest import sign_in_with_password, totp_code

pytestmark = pytest.mark.django_db

INDEX = "/admin/"


def test_an_editor_with_only_a_password_is_sent_to_enrol_from_every_admin_page(
    client, editor, require_editors, article
):
    response = sign_in_with_password(client, "editor")
    assert response.status_code == 302
    for path in [
        INDEX,
        "/admin/articles/article/",
        f"/admin/articles/article/{article.pk}/change/",
    ]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("accounts:enrol")), path
    # Nor can it act: the bulk "Unpublish" is turned away before the admin sees it.
    action = {"action": "unpublish_selected", "_selected_action": [article.pk]}
    assert client.post("/admin/articles/article/", action).status_code == 302
    article.refresh_from_db()
    assert article.status == article.Status.PUBLISHED
    # Outside the admin the half-signed-in editor is anonymous: no staff preview of a draft.
    draft = article
    draft.status = draft.Status.DRAFT
    draft.save()
    assert client.get(reverse("articles:preview", args=[draft.pk])).status_code == 404


def test_enrolment_shows_the_code_and_key_confirms_a_code_then_shows_recovery_codes_once(
    client, editor, require_editors, settings
):
    # django-otp makes a device wait a second after a wrong code; a test retries faster.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    sign_in_with_password(client, "editor")
    page = client.get(reverse("accounts:enrol"))
    assert page.status_code == 200
    assert b"<svg" in page.content
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert page.context["secret"].replace(" ", "") in device.config_url

    wrong = client.post(reverse("accounts:enrol"), {"code": "000000"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    assert client.get(INDEX).status_code == 302

    done = client.post(reverse("accounts:enrol"), {"code": totp_code(device)})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and all(code.encode() in done.content for code in codes)
    assert client.get(INDEX).status_code == 200
    # Shown once: the enrolment page now leads to the admin, and the codes are not in it.
    again = client.get(reverse("accounts:enrol"), follow=True)
    assert codes[0].encode() not in again.content


def test_an_enrolled_editor_gives_a_code_after_the_password(client, enrolled_editor):
    sign_in_with_password(client, "editor")
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))
    # Enrolling again (a new phone chosen by whoever has the password) is refused.
    enrol = client.get(reverse("accounts:enrol"))
    assert enrol["Location"].startswith(reverse("accounts:verify"))
    response = client.post(
        reverse("accounts:verify"), {"code": totp_code(enrolled_editor.totp), "next": INDEX}
    )
    assert response.status_code == 302 and response["Location"] == INDEX
    assert client.get(INDEX).status_code == 200


def test_a_used_totp_code_is_refused_the_second_time(client, enrolled_editor):
    code = totp_code(enrolled_editor.totp)
    sign_in_with_password(client, "editor")
    assert client.post(reverse("accounts:verify"), {"code": code}).status_code == 302
    client.post(reverse("admin:logout"))

    sign_in_with_password(client, "editor")
    replay = client.post(reverse("accounts:verify"), {"code": code})
    assert replay.status_code == 200
    assert replay.context["form"].errors["code"]
    assert client.get(INDEX).status_code == 302


def test_a_recovery_code_works_once(client, enrolled_editor):
    code = enrolled_editor.recovery_codes[0]
    sign_in_with_password(client, "editor")
    assert client.post(reverse("accounts:verify"), {"code": code.upper()}).status_code == 302
    assert client.get(INDEX).status_code == 200
    assert not StaticToken.objects.filter(token=code).exists()
    client.post(reverse("admin:logout"))

    sign_in_with_password(client, "editor")
    again = client.post(reverse("accounts:verify"), {"code": code})
    assert again.status_code == 200 and again.context["form"].errors
    assert client.get(INDEX).status_code == 302


def test_guessing_codes_locks_the_account_like_guessing_passwords(
    client, enrolled_editor, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    sign_in_with_password(client, "editor")
    statuses = [
        client.post(reverse("accounts:verify"), {"code": f"00000{n}"}).status_code for n in range(4)
    ]
    assert statuses[:2] == [200, 200]
    assert statuses[-1] == 429
    # Even the right code now gets the lockout page, and so does the password step.
    right = client.post(reverse("accounts:verify"), {"code": totp_code(enrolled_editor.totp)})
    assert right.status_code == 429
    assert client.get(INDEX).status_code == 302
    client.post(reverse("admin:logout"))
    assert sign_in_with_password(client, "editor").status_code == 429


def test_writers_may_skip_2fa_when_only_editors_must(client, writer, require_editors):
    sign_in_with_password(client, "writer")
    assert client.get(INDEX).status_code == 200
    # ... and may enrol of their own accord.
    assert client.get(reverse("accounts:enrol")).status_code == 200


def test_all_means_every_staff_user(client, writer, settings):
    settings.NEWSROOM_REQUIRE_2FA = "all"
    sign_in_with_password(client, "writer")
    assert client.get(INDEX)["Location"].startswith(reverse("accounts:enrol"))


def test_off_requires_no_one_but_still_asks_those_who_enrolled(client, editor, settings):
    settings.NEWSROOM_REQUIRE_2FA = "off"
    sign_in_with_password(client, "editor")
    assert client.get(INDEX).status_code == 200
    client.post(reverse("admin:logout"))
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    assert device.pk
    sign_in_with_password(client, "editor")
    assert client.get(INDEX)["Location"].startswith(reverse("accounts:verify"))


def test_the_second_step_pages_send_strangers_to_the_login(client):
    for name in ["accounts:verify", "accounts:enrol"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_next_never_leaves_the_site(client, enrolled_editor):
    sign_in_with_password(client, "editor")
    response = client.post(
        reverse("accounts:verify"),
        {"code": totp_code(enrolled_editor.totp), "next": "https://evil.example/"},
    )
    assert response["Location"] == INDEX


def test_a_verified_user_may_move_to_a_new_phone_which_replaces_the_old(client, enrolled_editor):
    sign_in_with_password(client, "editor")
    client.post(reverse("accounts:verify"), {"code": totp_code(enrolled_editor.totp)})
    assert client.get(reverse("accounts:enrol")).status_code == 200
    new_phone = TOTPDevice.objects.get(user=enrolled_editor, confirmed=False)
    done = client.post(reverse("accounts:enrol"), {"code": totp_code(new_phone)})
    assert len(done.context["codes"]) == 10
    assert list(TOTPDevice.objects.filter(user=enrolled_editor)) == [new_phone]
    assert not StaticToken.objects.filter(token=enrolled_editor.recovery_codes[0]).exists()
