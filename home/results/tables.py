"""The month's table of units: sorting and filtering by unit kind from the query string.

Both work without JavaScript (links in the column headers, a GET form). A parameter that
is not one of ours is ignored, never an error: the table falls back to its default, and
the page says it is not the canonical address (so it is not cached under every guess).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

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


def _sorted(units: list[PublicUnit], sort: str) -> list[PublicUnit]:
    """Sorted on ``sort`` ("-mean": descending); a hidden figure always last."""
    descending = sort.startswith("-")
    key = COLUMNS[sort.lstrip("-")][1]
    known = [unit for unit in units if key(unit) is not None]
    hidden = [unit for unit in units if key(unit) is None]
    known.sort(key=lambda unit: (key(unit), unit.name.casefold()), reverse=descending)
    return known + sorted(hidden, key=lambda unit: unit.name.casefold())


def _query(kind: str, sort: str) -> str:
    params = {name: value for name, value in (("kind", kind), ("sort", sort)) if value}
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
    """The rows to show for ``params`` (``sort``, ``kind``); anything else is ignored."""
    kinds = sorted({(unit.kind, unit.kind_name) for unit in units if unit.kind}, key=lambda k: k[1])
    sort = params.get("sort", "")
    kind = params.get("kind", "")
    canonical = set(params) <= {"sort", "kind"} and all(
        len(params.getlist(name)) == 1 for name in params
    )
    if sort.lstrip("-") not in COLUMNS or sort.startswith("--"):
        canonical &= not sort
        sort = DEFAULT
    if kind and kind not in {code for code, _name in kinds}:
        canonical = False
        kind = ""
    chosen = [unit for unit in units if not kind or unit.kind == kind]
    return UnitTable(_sorted(chosen, sort), _headings(kind, sort), kinds, kind, sort, canonical)
