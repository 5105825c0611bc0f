"""django-csp's middleware, with the site-wide policy built once per process.

django-csp rebuilds the policy string from settings on every response, twice (the policy and
the report-only one): more work than serving a cached article page. The site-wide policy only
changes with settings, so it is built once with a stand-in nonce and each response gets its
own nonce put in. Anything else (a view's own policy from django-csp's decorators, an exempt
response, a report-only policy, Django's debug pages) goes through django-csp unchanged.

Either way `img-src` also allows the media origin (a bucket or CDN, `core.media_origin`), so
pictures on S3 show without a second setting to keep in step.
"""

from functools import cache

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed

from core.media_origin import WATCHED_SETTINGS, media_origin

NONCE_STAND_IN = "newsroom-csp-nonce-stand-in"
PER_VIEW = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")


def with_media_origin(update):
    """A view's `update` directives plus the media origin in img-src (when media is elsewhere)."""
    origin = media_origin()
    if origin is None:
        return update
    update = dict(update or {})
    extra = update.get("img-src") or []
    update["img-src"] = [*([extra] if isinstance(extra, str) else extra), origin]
    return update


@cache
def site_policy(with_nonce):
    """The settings' policy; with a stand-in nonce when the page used one."""
    return build_policy(
        update=with_media_origin(None), nonce=NONCE_STAND_IN if with_nonce else None
    )


def forget_site_policy(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting in WATCHED_SETTINGS:
        site_policy.cache_clear()


def connect():
    """Rebuild the policy when a test changes its settings (called from CoreConfig.ready)."""
    setting_changed.connect(forget_site_policy, dispatch_uid="core-csp-policy")


class CachedPolicyCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        parts.update = with_media_origin(parts.update)
        return parts

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
