"""Checking the code of the second sign-in step, with django-axes' lockout around it.

Each wrong code is a failed sign-in for axes (the `user_login_failed` signal), so guessing codes
locks the account and address like guessing passwords does; django-otp's own throttling on each
device also doubles the wait after every miss and is not undone by signing in again.
"""

import logging

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.devices import normalise

log = logging.getLogger(__name__)


def credentials_of(user):
    return {"username": user.get_username()}


def is_locked(request, user):
    return AxesProxyHandler.is_locked(request, credentials_of(user))


def verify(request, user, token):
    """The device that accepts `token` (an app code or a recovery code), or None.

    A miss is reported to axes, which may lock the account (the response then becomes its
    lockout page through AxesMiddleware).
    """
    token = normalise(token)
    for device in devices_for_user(user, confirmed=True):
        if token and django_otp.verify_token(user, device.persistent_id, token):
            if isinstance(device, StaticDevice):
                log.info("%s signed in with a recovery code", user.get_username())
            return device
    log.warning("wrong second-factor code for %s", user.get_username())
    user_login_failed.send(sender=__name__, credentials=credentials_of(user), request=request)
    return None
