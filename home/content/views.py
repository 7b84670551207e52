"""Public views that are not pages: the site search and the sitemap."""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Locale, Page

from home.cache import cache_public

RESULTS_PER_PAGE = 10
WORD = re.compile(r"\w+")
QUERY_MAX_LENGTH = 200


@require_safe
def search(request):
    """Search the live public pages of the path's language; an empty or odd query asks
    again rather than failing."""
    query = " ".join(request.GET.get("q", "").split())[:QUERY_MAX_LENGTH]
    # Words only: punctuation means nothing to the search and some backends (SQLite's
    # full-text index) would take it for syntax.
    words = " ".join(WORD.findall(query))
    results = None
    if words:
        pages = Page.objects.live().public().filter(locale=Locale.get_active()).specific()
        found = pages.search(words, operator="and")
        results = Paginator(found, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"query": query, "results": results, "title": _("Search")}
    return render(request, "home/search.html", context)


class BilingualSitemap(Sitemap):
    """Every live public page of the site in every language: the site's root page and
    its translations, with what lies under each."""

    def items(self):
        root = self.get_wagtail_site().root_page
        roots = Page.objects.filter(translation_key=root.translation_key, depth=root.depth)
        under_a_root = Q()
        for page in roots:
            under_a_root |= Q(path__startswith=page.path)
        return (
            Page.objects.filter(under_a_root)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )


@require_safe
def sitemap(request):
    """``/sitemap.xml``: the pages of the request's site in both languages."""
    response = wagtail_sitemap(request, sitemaps={"pages": BilingualSitemap})
    return cache_public(response)
