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
import logging
import time

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import translation
from django.utils.functional import SimpleLazyObject, empty

from scoring.access import logins
from scoring.lib import request_id

access_log = logging.getLogger("portal.access")


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


class RequestIdMiddleware:
    """Give each request an id, for every log line it writes and for its answer.

    A trusted proxy's ``X-Request-ID`` is kept, so the load balancer's logs and ours
    name the same request; otherwise (no header, an untrusted peer, a malformed value) a
    fresh uuid4 hex. The id is the current one (:mod:`scoring.lib.request_id`) while the
    request is served, so log lines and the background jobs it starts carry it, and the
    answer names it in ``X-Request-ID``. Then one access line at INFO. First in
    ``MIDDLEWARE``: the peer address is still the proxy's, and the time covers the rest.
    """

    header = "X-Request-ID"

    def __init__(self, get_response):
        self.get_response = get_response
        self.proxies = TrustedProxyMiddleware(get_response)

    def request_id_for(self, request) -> str:
        peer = request.META.get("REMOTE_ADDR", "")
        if self.proxies.trusted and self.proxies.is_trusted(peer):
            given = request_id.accepted(request.META.get("HTTP_X_REQUEST_ID"))
            if given:
                return given
        return request_id.new()

    def __call__(self, request):
        started = time.perf_counter()
        with request_id.bound(self.request_id_for(request)) as current:
            request.request_id = current
            response = self.get_response(request)
            response.headers[self.header] = current
            _log_access(request, response, started)
        return response


# URL arguments that are secrets (a receipt's one-time rating code): never in the logs.
SECRET_URL_ARGUMENTS = ("token",)


def _log_access(request, response, started: float) -> None:
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    path = _loggable_path(request)
    access_log.info(
        "%s %s %s %sms",
        request.method,
        path,
        response.status_code,
        duration_ms,
        extra={
            "method": request.method,
            "path": path,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "user_id": _user_id(request),
        },
    )


def _loggable_path(request) -> str:
    """The path without its query, with any secret URL argument masked."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    for name in SECRET_URL_ARGUMENTS:
        value = match.kwargs.get(name) if match else None
        if value:
            path = path.replace(str(value), "***")
    return path


def _user_id(request) -> int | None:
    """The signed-in user's id, if the request already looked them up (no query here:
    a public page that never asked who is signed in logs none)."""
    user = request.__dict__.get("user")
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return None
    return user.pk if user.is_authenticated else None
