"""What each results page shows, from the released months only (presentation only: the
figures come from :mod:`scoring.publishing.public`, already suppressed)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Page

from home import cache as public_cache
from scoring.publishing import public
from scoring.publishing.public import PublicDesk, PublicRelease, PublicUnit, released_months

from . import charts, methodology, signals
from .tables import unit_table


def month_or_404(year: str, month: str) -> tuple[int, int]:
    """A route's month, or 404 for a month that cannot exist (2026-13)."""
    number = int(month)
    if not 1 <= number <= 12 or int(year) < 1900:
        raise Http404(_("There is no such month."))
    return int(year), number


def site_links(page: Page, request: HttpRequest) -> dict[str, str]:
    """The addresses of the results index and the methodology page in the page's
    language (one query, then cached until a page is published, unpublished, moved or
    deleted: home.results.signals)."""
    from .models import MethodologyPage, ResultsIndexPage

    key = signals.links_key(request.get_host(), page.locale_id)
    links = cache.get(key)
    if links is None:
        types = {
            ContentType.objects.get_for_model(ResultsIndexPage).pk: "results",
            ContentType.objects.get_for_model(MethodologyPage).pk: "methodology",
        }
        pages = Page.objects.live().filter(locale_id=page.locale_id, content_type_id__in=types)
        links = {types[found.content_type_id]: found.get_url(request) or "" for found in pages}
        cache.set(key, links, None)
    return links


def _desks_of(release: PublicRelease, code: str | None = None) -> list[PublicDesk]:
    return [desk for desk in release.desks if code is None or desk.unit == code]


def _unit_names(release: PublicRelease) -> dict[str, str]:
    return {unit.code: unit.name for unit in release.units}


def home_context(page: Page, request: HttpRequest) -> dict:
    months = released_months()
    links = site_links(page, request)
    if not months:
        return {"latest": None, "links": links}
    latest = months[0]
    return {
        "latest": latest,
        "links": links,
        "level_chart": charts.level_chart("home-levels", latest.key, latest.locality),
        "trend_chart": charts.release_trend("home-trend", months),
        "latest_url": _results_url(links, latest),
    }


def _results_url(links: dict[str, str], release: PublicRelease) -> str:
    base = links.get("results", "")
    return f"{base}{release.key}/" if base else ""


def index_context(page, request: HttpRequest, months: list[PublicRelease]) -> dict:
    """The released months, newest first, and the latest month's table."""
    context = {
        "months": [(release, page.month_url(request, release.key)) for release in months],
        "links": site_links(page, request),
        "trend_chart": charts.release_trend("results-trend", months) if months else None,
    }
    if months:
        context.update(month_context(page, request, months[0], months[0].number, links=False))
        context["brief"] = True  # the units' table is on the month's own page
        context["canonical"] = not request.GET
    return context


def _csv_url(release: PublicRelease, superseded: bool) -> str:
    url = reverse("opendata:units", args=[release.key]) + "?format=csv"
    return f"{url}&release={release.number}" if superseded else url


def month_context(
    page, request: HttpRequest, release: PublicRelease, latest: int, links: bool = True
) -> dict:
    """One month: its units (sorted, filtered), its desks, its corrections and history."""
    table = unit_table(release.units, request.GET)
    desks = _desks_of(release)
    history = [(number, page.month_url(request, release.key, number)) for number in release.earlier]
    context = {
        "release": release,
        "table": table,
        "canonical": table.canonical,
        "superseded": release.number < latest,
        "current_url": page.month_url(request, release.key),
        "history": history,
        "rows": [(unit, page.unit_url(request, unit.code)) for unit in table.rows],
        "csv_url": _csv_url(release, superseded=release.number < latest),
        "level_chart": charts.level_chart("month-levels", release.key, release.locality),
        "desks": desks,
        "desk_units": _unit_names(release),
        "desk_chart": charts.desk_chart("month-desks", release.key, desks) if desks else None,
    }
    if links:
        context["links"] = site_links(page, request)
    return context


def unit_context(
    page, request: HttpRequest, months: list[tuple[PublicRelease, PublicUnit]]
) -> dict:
    """A unit's released months, newest first, its latest levels and desks."""
    latest_release, latest_unit = months[0]
    oldest_first = list(reversed(months))
    desks = _desks_of(latest_release, latest_unit.code)
    return {
        "unit": latest_unit,
        "latest": latest_release,
        "months": [
            (release, unit, page.month_url(request, release.key)) for release, unit in months
        ],
        "trend_chart": charts.trend_chart(
            "unit-trend", [(release.key, unit.figures) for release, unit in oldest_first]
        ),
        "level_chart": charts.level_chart("unit-levels", latest_release.key, latest_unit.figures),
        "desks": desks,
        "desk_chart": charts.desk_chart("unit-desks", latest_release.key, desks) if desks else None,
        "links": site_links(page, request),
    }


def methodology_context(page: Page, request: HttpRequest) -> dict:
    """The rules in force, read once per content state, public state and language: a
    change of criteria, bands, question sets or the calendar renames the content state
    (``home.results.signals``)."""
    key = (
        f"results:methodology:{public_cache.content_state()}:{public.version()}:"
        f"{translation.get_language()}"
    )
    method = cache.get(key)
    if method is None:
        method = methodology.methodology()
        cache.set(key, method, settings.PUBLIC_CACHE_SECONDS)
    return {"method": method, "links": site_links(page, request)}
