"""The frame of every public page: the menu, the footer and the language switch.

Each is read once per request (kept on the request), in a fixed number of queries
whatever the menu holds, and is the same for every visitor of the path, so the pages
built on them can be cached whole (home/cache.py).
"""

from __future__ import annotations

import unicodedata

from django import template
from django.conf import settings
from django.core.cache import cache
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation
from wagtail.models import Page, Site

from home.cache import content_state
from home.content.models import FooterSettings, MenuItem
from home.content.privacy import privacy_path

register = template.Library()


def _kept(request, name: str, build):
    """``build()`` once per request and language."""
    if request is None:
        return build()
    key = f"_site_tags_{name}_{translation.get_language()}"
    if not hasattr(request, key):
        setattr(request, key, build())
    return getattr(request, key)


def _shared(request, name: str, build):
    """``build()`` once per content state, host and language, in the shared cache (the
    menu and the footer change only when an editor saves them, which renames the state)."""
    key = f"site-tags:{content_state()}:{request.get_host()}:{name}:{translation.get_language()}"
    return cache.get_or_set(key, build, settings.PUBLIC_CACHE_SECONDS)


def home_url(language: str) -> str:
    """The address of the home page in ``language`` (``/`` or ``/en/``)."""
    with translation.override(language):
        return reverse("wagtail_serve", args=[""])


@register.simple_tag
def current_home_url() -> str:
    """The home page's address in the active language."""
    return home_url(translation.get_language())


@register.simple_tag
def privacy_url() -> str:
    """The privacy notice's address in the active language (no query)."""
    return privacy_path(translation.get_language())


def _menu(request) -> list[dict]:
    language = translation.get_language()
    site = Site.find_for_request(request)
    items = list(
        MenuItem.objects.filter(menu__site=site)
        .select_related("page", "page__locale")
        .order_by("sort_order", "pk")
    )
    linked = [item.page for item in items if item.page_id]
    pages = {page.translation_key: page for page in linked if page.locale.language_code == language}
    elsewhere = {page.translation_key for page in linked} - set(pages)
    if elsewhere:
        pages.update(
            (page.translation_key, page)
            for page in Page.objects.filter(
                translation_key__in=elsewhere, locale__language_code=language
            )
        )
    entries = []
    for item in items:
        page = pages.get(item.page.translation_key) if item.page_id else None
        if item.page_id and (page is None or not page.live):
            continue
        label = item.label_for(language) or (page.title if page else "")
        url = page.get_url(request) if page else item.url
        entries.append({"label": label, "url": url})
    return entries


@register.simple_tag(takes_context=True)
def site_menu(context) -> list[dict]:
    """The main menu in the active language: ``label``, ``url``, ``current`` per entry;
    a page without a live translation in the language is left out."""
    request = context.get("request")
    if request is None:
        return []
    entries = _kept(request, "menu", lambda: _shared(request, "menu", lambda: _menu(request)))
    return [{**entry, "current": entry["url"] == request.path} for entry in entries]


@register.simple_tag(takes_context=True)
def site_footer(context) -> dict:
    """The footer's lines in the active language (empty ones left out by the template)."""
    request = context.get("request")
    if request is None:
        return {}

    def build():
        footer = FooterSettings.for_request(request)
        names = ("publisher", "address", "contact", "licence")
        return {name: footer.text(name) for name in names}

    return _kept(request, "footer", lambda: _shared(request, "footer", build))


def other_language_url(request, page, language: str) -> str:
    """The address of what the visitor reads, in ``language``.

    On a Wagtail page: its live translation, else that language's home. A routable page's
    sub-route (``rss/``, a unit's code, ``?page=2``) is kept: the translation is the same
    page type, so the part of the path after the page's own address means the same under
    the translation's address; when the translation has the same slug path this is
    ``/en`` + the path without its prefix. Elsewhere (the search): the same view under
    the other prefix; the language's home when the address has no translation or names
    no page (a 404).
    """
    if isinstance(page, Page) and page.pk:
        translated = (
            Page.objects.live()
            .filter(translation_key=page.translation_key, locale__language_code=language)
            .first()
        )
        if translated is None:
            return home_url(language)
        own = page.get_url(request) or ""
        rest = request.path[len(own) :] if own and request.path.startswith(own) else ""
        query = request.META.get("QUERY_STRING", "")
        address = (translated.get_url(request) or home_url(language)) + rest
        return f"{address}?{query}" if query else address
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return home_url(language)
    if match.url_name == "wagtail_serve":  # an address no page answers (a 404)
        return home_url(language)
    full = request.get_full_path()
    translated = translate_url(full, language)
    return translated if translated != full else home_url(language)


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link per language: ``code``, ``name`` (in its own language), ``url``,
    ``current``."""
    request = context.get("request")
    if request is None:
        return []
    page = context.get("page")

    def build():
        current = translation.get_language()
        links = []
        for code, _name in settings.LANGUAGES:
            # Django spells some names decomposed (e + combining marks): NFC for readers.
            name = unicodedata.normalize("NFC", translation.get_language_info(code)["name_local"])
            url = request.get_full_path() if code == current else None
            url = url or other_language_url(request, page, code)
            links.append({"code": code, "name": name, "url": url, "current": code == current})
        return links

    return _kept(request, "languages", build)
