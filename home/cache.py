"""The published-page cache: public pages and open-data answers, rendered once per release.

Published figures change once a month, so a public response that a view marks with
:func:`cache_public` is kept whole in the default cache (Redis when ``CACHE_URL`` is
set, shared by every app server) under the public state's name,
``scoring.publishing.public.version()``. A release or a correction going public changes
that name, so every app server reads the new figures at once and nothing has to be
deleted. :class:`PublicCacheMiddleware` answers a cached request before the session,
the URL resolver and Wagtail's page routing run, and answers ``If-None-Match`` (or,
without it, ``If-Modified-Since`` against a ``Last-Modified`` the view set) with 304.

Editors' pages change between releases: :func:`content_changed` (called when a page is
published, unpublished, moved, deleted or restricted, or the menu or footer is saved;
``home/content/signals.py``) renames the content's state, which is part of the key too.

Only what is the same for every visitor may be marked: no CSRF token, no user, no
message. The language is part of the path (``/en/…``), so the path names the answer.
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import parse_http_date_safe

from scoring.publishing import public

MARK = "_cache_public"
PREFIX = "public-page"
CONTENT_KEY = "public-page:content"
# Headers a cached answer keeps (the rest are set afresh by the middleware around it).
KEPT = (
    "Content-Type",
    "Content-Disposition",
    "Content-Language",
    "Last-Modified",
    "Access-Control-Allow-Origin",
    "Access-Control-Expose-Headers",
)


def cache_public(response: HttpResponse) -> HttpResponse:
    """Mark a response as public and the same for everyone: it is cached per release."""
    setattr(response, MARK, True)
    return response


def content_state() -> str:
    """A short name of the editors' content state (one cache read): "0" until an editor
    changes something, so the validators of a cold cache match a warm one's. Several app
    processes must share the cache (Redis, ``CACHE_URL``) to see each other's changes."""
    return cache.get(CONTENT_KEY) or "0"


def content_changed() -> None:
    """Editors changed what a public page shows: every cached page is read afresh."""
    cache.set(CONTENT_KEY, uuid.uuid4().hex[:12], None)


def _key(request: HttpRequest, state: str) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"{PREFIX}:{state}:{request.get_host()}:{digest}"


def _etag(content: bytes) -> str:
    """The answer's own fingerprint: the same bytes give the same tag on every app
    server and after the cache is emptied."""
    return f'"{hashlib.sha256(content).hexdigest()[:20]}"'


def _finish(request: HttpRequest, response: HttpResponse, etag: str) -> HttpResponse:
    """Set the validators; answer ``If-None-Match`` or, without it, ``If-Modified-Since``
    (against the ``Last-Modified`` a view set, e.g. the release's time) with 304."""
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_MAX_AGE)
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    answer = get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )
    if answer is not response and "Access-Control-Allow-Origin" in response:
        answer["Access-Control-Allow-Origin"] = response["Access-Control-Allow-Origin"]
    return answer


class PublicCacheMiddleware:
    """Serve marked public responses from the cache, keyed on the public state."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.never = tuple(settings.PUBLIC_CACHE_NEVER)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or request.path.startswith(self.never):
            return self.get_response(request)
        state = f"{public.version()}.{content_state()}"
        key = _key(request, state)
        hit = cache.get(key)
        if hit is not None:
            status, content, headers, etag = hit
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return _finish(request, response, etag)
        response = self.get_response(request)
        if not getattr(response, MARK, False) or response.status_code != 200:
            return response
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        if response.streaming:
            return response
        headers = [(name, response[name]) for name in KEPT if name in response]
        etag = _etag(response.content)
        cache.set(
            key,
            (response.status_code, response.content, headers, etag),
            settings.PUBLIC_CACHE_SECONDS,
        )
        return _finish(request, response, etag)
