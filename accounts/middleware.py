"""The second step of signing in, enforced on every request.

A user who signed in with a password but still owes a code (or, required to use 2FA, has not
enrolled) reaches nothing in the admin but the second-step pages, sign-out and the login page;
everywhere else on the site they count as anonymous, so staff-only pages (previews of drafts)
stay closed too.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode

from accounts import policy

ADMIN_PREFIX = "/" + settings.NEWSROOM_ADMIN_PATH
# Admin pages a half-signed-in user may open.
OPEN_IN_ADMIN = ("2fa/", "login/", "logout/", "jsi18n/")
STEP_URLS = {policy.VERIFY: "accounts:verify", policy.ENROL: "accounts:enrol"}


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(ADMIN_PREFIX):
            rest = request.path_info[len(ADMIN_PREFIX) :]
            if not rest.startswith(OPEN_IN_ADMIN):
                step = policy.pending_step(request, request.user)
                if step != policy.NONE:
                    query = urlencode({"next": request.get_full_path()})
                    return redirect(f"{_step_url(step)}?{query}")
        else:
            user = request.user
            request.user = SimpleLazyObject(lambda: _outside_admin(request, user))
        return self.get_response(request)


def _step_url(step):
    return reverse(STEP_URLS[step])


def _outside_admin(request, user):
    if policy.pending_step(request, user) != policy.NONE:
        anonymous = AnonymousUser()
        anonymous.is_verified = lambda: False
        return anonymous
    return user
