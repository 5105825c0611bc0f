"""django-csp's middleware, with the site-wide policy built once per process.

django-csp rebuilds the policy string from settings on every response, twice (the policy and
the report-only one): more work than serving a cached article page. The site-wide policy only
changes with settings, so it is built once with a stand-in nonce and each response gets its
own nonce put in. Anything else (a view's own policy from django-csp's decorators, an exempt
response, a report-only policy, Django's debug pages) goes through django-csp unchanged.
"""

from functools import cache

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed

NONCE_STAND_IN = "newsroom-csp-nonce-stand-in"
PER_VIEW = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")


@cache
def site_policy(with_nonce):
    """The settings' policy; with a stand-in nonce when the page used one."""
    return build_policy(nonce=NONCE_STAND_IN if with_nonce else None)


def forget_site_policy(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        site_policy.cache_clear()


def connect():
    """Rebuild the policy when a test changes its settings (called from CoreConfig.ready)."""
    setting_changed.connect(forget_site_policy, dispatch_uid="core-csp-policy")


class CachedPolicyCSPMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if (
            settings.DEBUG
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or settings.CONTENT_SECURITY_POLICY.get("EXCLUDE_URL_PREFIXES")
            or any(hasattr(response, name) for name in PER_VIEW)
        ):
            return super().process_response(request, response)
        nonce = getattr(request, "_csp_nonce", None)
        if HEADER not in response:
            response[HEADER] = site_policy(nonce is not None).replace(NONCE_STAND_IN, nonce or "")
        if nonce is None:
            # As django-csp does: a nonce asked for after the header is written is an error.
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
