"""Every export of one month, as the portal serves it, and their fingerprints.

A locked month's exports must be the same bytes whenever they are made: the office's
locality report, each unit's month report (XLSX and CSV, dated with the submission or
lock, never with "now": :mod:`scoring.lib.documents_xlsx`) and, once the month is
released, its open-data answer (JSON and CSV). ``manage.py export_month`` writes them;
``manage.py restore_drill`` compares them between a database and its restored copy.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.test import RequestFactory
from django.urls import NoReverseMatch, resolve, reverse

from scoring.calendar.models import Period
from scoring.cycle.closing import month_units
from scoring.lib.documents import FORMATS, write_file
from scoring.oversight.locality import locality_document, locality_report
from scoring.oversight.month_report import month_document, month_report

OPEN_DATA_FORMATS = ("json", "csv")


def month_key(period: Period) -> str:
    return f"{period.year:04d}-{period.month:02d}"


def month_exports(period: Period) -> dict[str, bytes]:
    """Every export of ``period`` by file name: the documents, then the open data."""
    key = month_key(period)
    files: dict[str, bytes] = {}
    locality = locality_document(locality_report(period))
    for kind in FORMATS:
        files[f"locality-{key}.{kind}"] = write_file(locality, kind)
    for unit in month_units(period):
        document = month_document(month_report(unit, period))
        for kind in FORMATS:
            files[f"unit-{unit.code}-{key}.{kind}"] = write_file(document, kind)
    files.update(open_data(period))
    return files


def open_data(period: Period) -> dict[str, bytes]:
    """The month's open-data answers, from the view itself (not the published-page
    cache, which could hand back another database's bytes); none before its release."""
    key = month_key(period)
    try:
        url = reverse("opendata:units", args=[key])
    except NoReverseMatch:  # the public site is not installed
        return {}
    match = resolve(url)
    files = {}
    for kind in OPEN_DATA_FORMATS:
        request = RequestFactory().get(url, {"format": kind}, **_site())
        response = match.func(request, *match.args, **match.kwargs)
        if response.status_code == 200:
            files[f"open-data-units-{key}.{kind}"] = response.content
    return files


def _site() -> dict[str, str | bool]:
    """The public site's address, so that the links in the answer are the ones it gives."""
    site = urlsplit(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "http://localhost")
    return {"HTTP_HOST": site.netloc, "secure": site.scheme == "https"}


def fingerprint(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def fingerprints(folder: Path) -> dict[str, str]:
    """The sha256 of each file in ``folder``, by name."""
    return {path.name: fingerprint(path.read_bytes()) for path in sorted(folder.iterdir())}


@dataclass(frozen=True)
class Difference:
    """One export that is not the same in both databases (``None``: missing there)."""

    name: str
    original: str | None
    restored: str | None


def compare(original: dict[str, str], restored: dict[str, str]) -> list[Difference]:
    """The exports whose fingerprints differ or that only one side has, by name."""
    return [
        Difference(name, original.get(name), restored.get(name))
        for name in sorted(original.keys() | restored.keys())
        if original.get(name) != restored.get(name)
    ]
