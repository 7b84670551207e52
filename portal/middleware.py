"""Vietnamese first: the language is the visitor's explicit choice, else Vietnamese.

Django's LocaleMiddleware would follow the browser's Accept-Language and show English to
anyone whose browser prefers it. The portal's audience reads Vietnamese first, so only an
explicit choice (the language cookie set by the switcher, or an admin user's Wagtail
preference, applied by Wagtail itself) changes it.
"""

from django.conf import settings
from django.utils import translation


class VietnameseFirstLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
