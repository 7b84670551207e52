"""The month's table of units: sorting and filtering by unit kind from the query string.

Both work without JavaScript (links in the column headers, a GET form). A parameter that
is not one of ours is ignored, never an error: the table falls back to its default, and
the page says it is not the canonical address (so it is not cached under every guess).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from scoring.publishing.public import PublicUnit

Key = Callable[[PublicUnit], object]


def _level(index: int) -> Key:
    return lambda unit: unit.figures.levels[index].share


# sort key -> (column heading, value of a row); text sorts ascending by default.
COLUMNS: dict[str, tuple[object, Key]] = {
    "name": (_("Unit"), lambda unit: unit.name.casefold()),
    "kind": (_("Kind"), lambda unit: unit.kind_name.casefold()),
    "classified": (_("Classified"), lambda unit: unit.figures.classified),
    "level1": (_("Excellent"), _level(0)),
    "level2": (_("Good"), _level(1)),
    "level3": (_("Completed"), _level(2)),
    "level4": (_("Not completed"), _level(3)),
    "mean": (_("Mean score"), lambda unit: unit.figures.mean),
    "satisfaction": (_("Citizens satisfied"), lambda unit: unit.figures.satisfaction),
    "ratings": (_("Ratings"), lambda unit: unit.figures.ratings),
}
DEFAULT = "name"


@dataclass(frozen=True)
class Heading:
    key: str
    label: str
    url: str
    aria_sort: str  # "ascending", "descending" or "none"


@dataclass(frozen=True)
class UnitTable:
    rows: list[PublicUnit]
    headings: list[Heading]
    kinds: list[tuple[str, str]]  # (code, name) of the kinds in the month
    kind: str
    sort: str
    canonical: bool  # every parameter given was understood
    total: int  # the rows of every page
    number: int  # this page, from 1
    pages: int
    previous_url: str
    next_url: str
    page_urls: list[tuple[int, str]]


def _sorted(units: list[PublicUnit], sort: str) -> list[PublicUnit]:
    """Sorted on ``sort`` ("-mean": descending); a hidden figure always last."""
    descending = sort.startswith("-")
    key = COLUMNS[sort.lstrip("-")][1]
    known = [unit for unit in units if key(unit) is not None]
    hidden = [unit for unit in units if key(unit) is None]
    known.sort(key=lambda unit: (key(unit), unit.name.casefold()), reverse=descending)
    return known + sorted(hidden, key=lambda unit: unit.name.casefold())


def _query(kind: str, sort: str, page: int = 1) -> str:
    params = {name: value for name, value in (("kind", kind), ("sort", sort)) if value}
    if page > 1:
        params["page"] = str(page)
    return "?" + urlencode(params) if params else "?"


def _headings(kind: str, sort: str) -> list[Heading]:
    headings = []
    for key, (label, _value) in COLUMNS.items():
        if sort == key:
            order, target = "ascending", f"-{key}"
        elif sort == f"-{key}":
            order, target = "descending", key
        else:
            order, target = "none", key if key in ("name", "kind") else f"-{key}"
        headings.append(Heading(key, str(label), _query(kind, target), order))
    return headings


def unit_table(units: list[PublicUnit], params: QueryDict) -> UnitTable:
    """The rows to show for ``params`` (``sort``, ``kind``, ``page``: ``RESULTS_PER_PAGE``
    rows a page, so a province's month stays a light page); anything else is ignored."""
    kinds = sorted({(unit.kind, unit.kind_name) for unit in units if unit.kind}, key=lambda k: k[1])
    sort = params.get("sort", "")
    kind = params.get("kind", "")
    canonical = set(params) <= {"sort", "kind", "page"} and all(
        len(params.getlist(name)) == 1 for name in params
    )
    if sort.lstrip("-") not in COLUMNS or sort.startswith("--"):
        canonical &= not sort
        sort = DEFAULT
    if kind and kind not in {code for code, _name in kinds}:
        canonical = False
        kind = ""
    chosen = _sorted([unit for unit in units if not kind or unit.kind == kind], sort)
    paginator = Paginator(chosen, settings.RESULTS_PER_PAGE)
    asked = params.get("page", "1")
    shown = paginator.get_page(asked)
    canonical &= asked == str(shown.number) and (shown.number > 1 or "page" not in params)
    number = shown.number
    query_sort = "" if sort == DEFAULT else sort
    return UnitTable(
        list(shown.object_list),
        _headings(kind, sort),
        kinds,
        kind,
        sort,
        canonical,
        total=len(chosen),
        number=number,
        pages=paginator.num_pages,
        previous_url=_query(kind, query_sort, number - 1) if shown.has_previous() else "",
        next_url=_query(kind, query_sort, number + 1) if shown.has_next() else "",
        page_urls=[(n, _query(kind, query_sort, n)) for n in paginator.page_range]
        if paginator.num_pages > 1
        else [],
    )
