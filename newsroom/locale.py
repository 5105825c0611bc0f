"""The interface language of a request: the URL's for the reader's pages, negotiated elsewhere.

Django's LocaleMiddleware serves every unprefixed address in the default language once
`i18n_patterns(prefix_default_language=False)` is used, whatever the cookie or
Accept-Language say: right for the reader's pages, which a shared cache keys on URL alone.
The admin and the API are never cached that way, and their users keep choosing a language
through the cookie or Accept-Language, as before addresses had languages.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

API_PREFIX = "/api/"


def negotiated_prefixes():
    return ("/" + settings.NEWSROOM_ADMIN_PATH, API_PREFIX, "/i18n/")


class ReaderLocaleMiddleware(LocaleMiddleware):
    """LocaleMiddleware, except that the admin and the API negotiate their language, and that
    no other answer says it varies with Accept-Language (Django says so of every unprefixed
    address, which would split a shared cache's copy of a page by the readers' browsers)."""

    def process_request(self, request):
        if request.path_info.startswith(negotiated_prefixes()):
            translation.activate(translation.get_language_from_request(request))
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)

    def process_response(self, request, response):
        if request.path_info.startswith(negotiated_prefixes()):
            return super().process_response(request, response)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
