"""Which requests count as a reader's view: a GET from a person's browser.

Not HEAD, not a bot, crawler, link preview or monitor (`bots.py`), not a browser prefetch or
prerender, not logged-in staff (unless NEWSROOM_VIEW_COUNT_STAFF), not an editor's preview.
The repeat-visit window is applied on top of these rules by `visits.count_once`.
"""

from django.conf import settings

from readership import bots

# Headers browsers send on speculative loads: Chrome/Edge (Sec-Purpose, Purpose), old Firefox
# (X-Moz), Safari's top-sites previews (X-Purpose).
PREFETCH_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_MOZ", "HTTP_X_PURPOSE")
PREFETCH_WORDS = ("prefetch", "prerender", "preview")


def is_prefetch(request):
    """A speculative load (prefetch, prerender, preview), not a reader opening the page."""
    for header in PREFETCH_HEADERS:
        value = request.META.get(header, "").lower()
        if value and any(word in value for word in PREFETCH_WORDS):
            return True
    return False


def is_staff(request):
    # No session cookie, no login: skip loading the (lazy) user for most readers.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


def is_preview(request):
    match = getattr(request, "resolver_match", None)
    return bool(match is not None and match.url_name == "preview")


def is_countable_client(request, *, preview=False):
    """Every rule except the HTTP method: counting on, a browser, not a prefetch, not staff
    (unless NEWSROOM_VIEW_COUNT_STAFF), not a preview.

    For endpoints that count on POST (the beacon, the content API's `POST .../view`).
    """
    if not settings.NEWSROOM_COUNT_VIEWS or preview or is_preview(request):
        return False
    if bots.is_bot(request.META.get("HTTP_USER_AGENT", "")):
        return False
    if is_prefetch(request):
        return False
    return settings.NEWSROOM_VIEW_COUNT_STAFF or not is_staff(request)


def should_count(request, method_ok=False, *, preview=False):
    """Whether `request` is a reader's view of an article page.

    The method must be GET, unless the caller passes `method_ok=True` (it has checked the method
    itself, e.g. a POST beacon or API call); everything else is `is_countable_client`.
    """
    if not method_ok and request.method != "GET":
        return False
    return is_countable_client(request, preview=preview)
