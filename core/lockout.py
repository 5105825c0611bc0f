"""The page django-axes shows once sign-in is locked (settings.AXES_LOCKOUT_CALLABLE).

Axes' default answer is a bare line of text; an editor who mistyped a password ten
times deserves a page of the site saying what happened and how long to wait. The
status stays 429 (Too Many Requests) so scripts and monitoring see the lock.
"""

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timeuntil


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    now = timezone.now()
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "wait": timeuntil(now + cool_off, now) if cool_off else "",
    }
    return render(request, "lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
