"""The open data answers: released months and their units, as JSON or CSV, and the
OpenAPI document that describes them (DESIGN.md, "Public contracts").

Every figure comes from :mod:`scoring.publishing.public`, so nothing unreleased can be
read: an unreleased, unknown or malformed month or release answers the same 404, and a
guessed address learns nothing. Answers are the same for every visitor, so they are
marked for the published-page cache (:func:`home.cache.cache_public`), which keys them
on the public state and answers ``If-None-Match`` and ``If-Modified-Since`` with 304.
The bodies do not depend on the visitor's language (the suppression rule is stated in
every language of the site); only error messages are in the visitor's language.
"""

from __future__ import annotations

import csv
import datetime
import functools
import json
import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from home.cache import cache_public
from scoring.publishing import public
from scoring.publishing.figures import minimum as current_minimum

from . import schema
from .fields import PERIOD_FIELDS, RELEASE_FIELDS, UNIT_FIELDS, PeriodRow, csv_row, json_row

MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
NUMBER = re.compile(r"[0-9]{1,5}")
FORMATS = ("json", "csv")
METHODS = "GET, HEAD, OPTIONS"


class Refused(Exception):
    """A request answered with an error: its status and translated detail."""

    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status = status
        self.detail = detail


def not_found() -> Refused:
    # One message for every month or release that cannot be read, whatever exists.
    return Refused(404, _("No released month or release at this address."))


def error(status: int, detail: str) -> JsonResponse:
    return JsonResponse(
        {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def open_data(view):
    """GET and HEAD from any origin (CORS), OPTIONS preflights answered, errors as JSON."""

    @functools.wraps(view)
    def answer(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = METHODS
            response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "86400"
        elif request.method not in ("GET", "HEAD"):
            response = error(405, _("Only GET, HEAD and OPTIONS are answered here."))
            response["Allow"] = METHODS
        else:
            try:
                response = view(request, *args, **kwargs)
            except Refused as refusal:
                response = error(refusal.status, refusal.detail)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Content-Disposition"
        return response

    # Nothing here changes state, so a POST is refused by this view (405), not by CSRF.
    return csrf_exempt(answer)


def _format(request: HttpRequest) -> str:
    chosen = request.GET.get("format", "json")
    if chosen not in FORMATS:
        raise Refused(400, _("Unknown format: ask for “json” or “csv”."))
    return chosen


def _month(text: str) -> tuple[int, int]:
    match = MONTH.fullmatch(text)
    if match is None or not 1 <= int(match[2]) <= 12:
        raise not_found()
    return int(match[1]), int(match[2])


def _release_number(request: HttpRequest) -> int | None:
    text = request.GET.get("release")
    if text is None:
        return None
    if NUMBER.fullmatch(text) is None or int(text) < 1:
        raise not_found()
    return int(text)


def licence() -> dict:
    return dict(settings.OPEN_DATA_LICENCE)


def suppression(least: int) -> dict:
    """The suppression rule, stated in every language of the site."""
    rule = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            rule[code] = _(
                "A figure about fewer than %(minimum)s people or ratings is null (an empty "
                "cell in CSV), and so is a second figure wherever one part of a total is "
                "hidden, so that no hidden figure can be recovered by subtraction."
            ) % {"minimum": least}
    return {"minimum": least, "rule": rule}


def _json(data: dict) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def _csv(fields, rows, filename: str) -> HttpResponse:
    """A CSV in UTF-8 with a byte-order mark, so that Excel shows Vietnamese."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([field.name for field in fields])
    writer.writerows(csv_row(fields, row) for row in rows)
    return response


def _public(response: HttpResponse, modified: datetime.datetime | None) -> HttpResponse:
    # The same body for every visitor, whatever their language (it is cached so).
    response["Content-Language"] = settings.LANGUAGE_CODE
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    return cache_public(response)


def _units_url(request: HttpRequest, release: public.PublicRelease) -> str:
    return request.build_absolute_uri(reverse("opendata:units", args=[release.key]))


@open_data
def periods(request: HttpRequest) -> HttpResponse:
    """The released months, newest first, each as its latest release."""
    chosen = _format(request)
    releases = public.released_months()
    rows = [PeriodRow(release, _units_url(request, release)) for release in releases]
    modified = max((release.public_from for release in releases), default=None)
    if chosen == "csv":
        return _public(_csv(PERIOD_FIELDS, rows, "periods.csv"), modified)
    least = releases[0].minimum if releases else current_minimum()
    data = {
        "licence": licence(),
        "suppression": suppression(least),
        "periods": [json_row(PERIOD_FIELDS, row) for row in rows],
    }
    return _public(_json(data), modified)


@open_data
def units(request: HttpRequest, period: str) -> HttpResponse:
    """One row per unit of a released month (``?release=N``: an earlier release of it)."""
    chosen = _format(request)
    year, month = _month(period)
    number = _release_number(request)
    release = public.released_month(year, month, number)
    if release is None:
        raise not_found()
    if chosen == "csv":
        suffix = "" if number is None else f"-release-{number}"
        filename = f"units-{release.key}{suffix}.csv"
        return _public(_csv(UNIT_FIELDS, release.units, filename), release.public_from)
    data = {
        **json_row(RELEASE_FIELDS, PeriodRow(release, _units_url(request, release))),
        "licence": licence(),
        "suppression": suppression(release.minimum),
        "units": [json_row(UNIT_FIELDS, unit) for unit in release.units],
    }
    return _public(_json(data), release.public_from)


@open_data
def openapi(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.1 document of these answers, built from the same field lists."""
    with translation.override("en"):
        document = schema.document()
    body = json.dumps(document, ensure_ascii=False, indent=2)
    return cache_public(HttpResponse(body, content_type="application/json"))
