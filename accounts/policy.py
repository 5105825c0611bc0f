"""Who must give a second factor, and what the session still owes after the password.

The answer is worked out once at sign-in and kept in the session, so admin pages cost no
device queries; `accounts.middleware` reads it on each request.
"""

from django.conf import settings
from django_otp import devices_for_user

from articles.workflow import PUBLISH_PERMISSION

REQUIRE_CHOICES = ("editors", "all", "off")
SESSION_KEY = "nr_second_step"
VERIFY, ENROL, NONE = "verify", "enrol", "none"


def requires_2fa(user):
    """Must `user` use two-factor sign-in (NEWSROOM_REQUIRE_2FA)?"""
    mode = settings.NEWSROOM_REQUIRE_2FA
    if not (user.is_active and user.is_staff) or mode == "off":
        return False
    if mode == "all":
        return True
    return user.is_superuser or user.has_perm(PUBLISH_PERMISSION)


def has_device(user):
    return any(True for _device in devices_for_user(user, confirmed=True))


def second_step(user):
    """What a signed-in but unverified `user` still has to do: verify, enrol, or nothing.

    Anyone with a device gives a code, required or not: enrolling is a promise to be asked.
    """
    if has_device(user):
        return VERIFY
    return ENROL if requires_2fa(user) else NONE


def pending_step(request, user):
    """The step this session still owes before `user` may act as staff, or NONE."""
    if not user.is_authenticated or user.is_verified():
        return NONE
    step = request.session.get(SESSION_KEY)
    if step not in (VERIFY, ENROL, NONE):
        step = request.session[SESSION_KEY] = second_step(user)
    return step


def remember_second_step(sender, request, user, **kwargs):
    """On sign-in (user_logged_in), note what the session owes, once."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = second_step(user)


def forget_second_step(request):
    request.session.pop(SESSION_KEY, None)
