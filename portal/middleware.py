"""Vietnamese first: the path names the language of a public page, else Vietnamese.

Django's LocaleMiddleware would follow the browser's Accept-Language and show English to
anyone whose browser prefers it. The portal's audience reads Vietnamese first, so the
browser's preference is never read: Wagtail's pages and the public views under the
language prefix (portal/urls.py) are Vietnamese at ``/…`` and English at ``/en/…``,
the same for every visitor, so they can be cached whole. The pages outside the prefix
(the rating form, the kiosk, the admin: ``LANGUAGE_COOKIE_PATHS``) keep the visitor's
explicit choice, the language cookie set by the switcher (an admin user's Wagtail
preference is applied by Wagtail itself).
"""

import ipaddress
import time

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import translation

from scoring.access import logins


class PathLocaleMiddleware:
    """Activate the request's language: the path's prefix, the cookie where the path has
    none by design, else Vietnamese."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}
        self.cookie_paths = tuple(settings.LANGUAGE_COOKIE_PATHS)

    def language_for(self, request) -> str:
        if request.path_info.startswith(self.cookie_paths):
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            return chosen if chosen in self.supported else settings.LANGUAGE_CODE
        prefixed = translation.get_language_from_path(request.path_info)
        return prefixed if prefixed in self.supported else settings.LANGUAGE_CODE

    def __call__(self, request):
        translation.activate(self.language_for(request))
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


class RefuseNulMiddleware:
    """No text input may hold a NUL character: PostgreSQL cannot store one, and no person
    types one. A request carrying it (in the query, a form field or a file name) is
    refused with a 400 before any view runs, so it changes nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            message = translation.gettext("The request holds a character that text cannot contain.")
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _has_nul(request) -> bool:
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if request.method != "POST" or request.content_type not in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return False
    values = [value for key in request.POST for value in request.POST.getlist(key)]
    names = [upload.name for upload in request.FILES.values()]
    return any("\x00" in text for text in (*request.POST, *values, *names))


class IdleSessionMiddleware:
    """Sessions end after ``SESSION_COOKIE_AGE`` seconds without activity.

    Django would run a session's age afresh only with ``SESSION_SAVE_EVERY_REQUEST``, a
    database write on every request; this writes at most once a
    ``SESSION_REFRESH_SECONDS`` per signed-in user, so the idle timeout is exact to
    that. Logging in marks the session (``scoring.access.logins``).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.every = settings.SESSION_REFRESH_SECONDS

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            last = session.get(logins.ACTIVE_KEY)
            if last is None or time.time() - last >= self.every:
                logins.mark_active(session)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's header, strict everywhere but in the Wagtail admin.

    The public site runs no inline script or style (``CONTENT_SECURITY_POLICY``). The
    Wagtail admin still needs inline scripts and styles in places, so under its prefix
    the policy is widened by ``ADMIN_CSP_UPDATE`` (and may frame itself) and nothing else.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(settings.ADMIN_CSP_PREFIXES):
            parts.update = {**(parts.update or {}), **settings.ADMIN_CSP_UPDATE}
            parts.replace = {**(parts.replace or {}), **settings.ADMIN_CSP_REPLACE}
        return parts


class PermissionsPolicyMiddleware:
    """Tell browsers the portal uses no camera, microphone, location, payment…"""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.value)
        return response
