"""The second step of signing in to the admin: give a code, or enrol an authenticator app.

Both pages live under the admin's path and look like the admin. Enrolment shows the
otpauth:// QR code and the secret as text, confirms one code, then shows the recovery codes
once (never stored in clear, never shown again).
"""

import functools

import django_otp
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from accounts import devices, policy, second_step
from accounts.forms import CodeForm
from core.lockout import lockout_response


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return reverse("admin:index")


def _signed_in(view):
    """Staff who gave their password; anyone else goes to the admin's login page."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_active):
            return redirect(_with_next("admin:login", reverse("admin:index")))
        return view(request, *args, **kwargs)

    return never_cache(sensitive_post_parameters("code")(wrapped))


def _with_next(name, next_url):
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _context(request, **values):
    return {**admin.site.each_context(request), "next": _next_url(request), **values}


@_signed_in
def verify(request):
    """The code from the authenticator app, or a recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not policy.has_device(user):
        policy.forget_second_step(request)
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if second_step.is_locked(request, user):
            return lockout_response(request)
        if form.is_valid():
            device = second_step.verify(request, user, form.cleaned_data["code"])
            if device is not None:
                django_otp.login(request, device)
                policy.forget_second_step(request)
                return redirect(_next_url(request))
            form.add_error("code", _("That code is not valid. Try the current one."))
    context = _context(request, form=form, title=_("Two-factor sign-in"))
    return render(request, "accounts/verify.html", context)


@_signed_in
def enrol(request):
    """Set up the authenticator app; afterwards, the recovery codes, shown once."""
    user = request.user
    if policy.has_device(user) and not user.is_verified():
        return redirect(_with_next("accounts:verify", _next_url(request)))
    device = devices.pending_totp(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = devices.confirm_totp(device, form.cleaned_data["code"])
        if codes is not None:
            django_otp.login(request, device)
            policy.forget_second_step(request)
            messages.success(request, _("Two-factor sign-in is on for your account."))
            context = _context(request, codes=codes, title=_("Your recovery codes"))
            return render(request, "accounts/recovery_codes.html", context)
        form.add_error("code", _("That code is not valid. Check the time on your phone."))
    context = _context(
        request,
        form=form,
        title=_("Set up two-factor sign-in"),
        qr_svg=devices.config_qr_svg(device),
        secret=devices.secret_text(device),
        required=policy.requires_2fa(user),
    )
    return render(request, "accounts/enrol.html", context)
