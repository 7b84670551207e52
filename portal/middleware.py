"""Vietnamese first: the language is the visitor's explicit choice, else Vietnamese.

Django's LocaleMiddleware would follow the browser's Accept-Language and show English to
anyone whose browser prefers it. The portal's audience reads Vietnamese first, so only an
explicit choice (the language cookie set by the switcher, or an admin user's Wagtail
preference, applied by Wagtail itself) changes it.
"""

import ipaddress

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


class TrustedProxyMiddleware:
    """Behind a load balancer, take the client's address from ``X-Forwarded-For``.

    Only when the direct peer is one of ``TRUSTED_PROXIES`` (addresses or networks): the
    client is then the right-most forwarded address that is not itself a trusted proxy.
    Anyone else's header is ignored, so a client cannot choose its own address (the
    rating rate limits count per address).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted = [ipaddress.ip_network(net, strict=False) for net in settings.TRUSTED_PROXIES]

    def is_trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address.strip())
        except ValueError:
            return False
        return any(ip in network for network in self.trusted)

    def __call__(self, request):
        peer = request.META.get("REMOTE_ADDR", "")
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if self.trusted and forwarded and self.is_trusted(peer):
            hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
            client = next((hop for hop in reversed(hops) if not self.is_trusted(hop)), None)
            if client:
                request.META["REMOTE_ADDR"] = client
        return self.get_response(request)
