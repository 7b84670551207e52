"""The one list of open-data fields: each answer's JSON rows, its CSV header and its
OpenAPI schema are built from it, so the three can never disagree.

A field has a stable English snake_case name, a JSON type, whether it may be ``null``
(a suppressed figure: fewer than the release's minimum, or hidden so that it cannot be
recovered by subtraction) and a description; ``read`` takes one row and returns the
value as Python (``Decimal``, ``datetime``, lists), which :func:`json_value` and
:func:`csv_value` turn into the two formats.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from scoring.engine import Level, level_label
from scoring.publishing.public import LevelFigure, PeopleFigures, PublicRelease


@dataclass(frozen=True)
class Field:
    """One column of an open-data table."""

    name: str
    type: str  # a JSON Schema type: integer, number, string, boolean, array
    description: Any  # a lazy translated string
    read: Callable[[Any], Any]
    nullable: bool = False
    format: str | None = None  # date-time, uri
    items: str | None = None  # the type of an array's items

    def schema(self) -> dict:
        """This field as a JSON Schema (OpenAPI 3.1) property."""
        schema: dict[str, Any] = {
            "type": [self.type, "null"] if self.nullable else self.type,
            "description": str(self.description),
        }
        if self.format:
            schema["format"] = self.format
        if self.items:
            schema["items"] = {"type": self.items}
        return schema


@dataclass(frozen=True)
class PeriodRow:
    """A released month and the address of its units."""

    release: PublicRelease
    url: str


def json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()  # with its offset, e.g. +07:00
    return value


def csv_value(value: Any) -> str:
    """A CSV cell: suppressed figures are empty, lists are joined with ";"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, list | tuple):
        return ";".join(str(item) for item in value)
    return str(value)


def json_row(fields: list[Field], row: Any) -> dict:
    return {field.name: json_value(field.read(row)) for field in fields}


def csv_row(fields: list[Field], row: Any) -> list[str]:
    return [csv_value(field.read(row)) for field in fields]


def _level(figures: PeopleFigures, level: int) -> LevelFigure:
    return next(figure for figure in figures.levels if figure.level == level)


def _level_fields(figures_of: Callable[[Any], PeopleFigures]) -> list[Field]:
    """A count and a share for each level of ``scoring.engine.Level``, best first."""
    fields = []
    for level in Level:
        key = level.name.lower()
        label = lazy(level_label, str)(int(level))  # in the language of the moment
        fields += [
            Field(
                f"{key}_count",
                "integer",
                format_lazy(
                    _("People classified “{level}” (level {number})."),
                    level=label,
                    number=int(level),
                ),
                lambda row, level=int(level): _level(figures_of(row), level).count,
                nullable=True,
            ),
            Field(
                f"{key}_share",
                "number",
                format_lazy(
                    _("Share of the classified people at “{level}”, in percent."), level=label
                ),
                lambda row, level=int(level): _level(figures_of(row), level).share,
                nullable=True,
            ),
        ]
    return fields


def _people_fields(figures_of: Callable[[Any], PeopleFigures]) -> list[Field]:
    """The figures a month and a unit share: people by level, then citizens' ratings."""
    return [
        Field(
            "classified",
            "integer",
            _("People classified this month."),
            lambda row: figures_of(row).classified,
            nullable=True,
        ),
        *_level_fields(figures_of),
        Field(
            "mean",
            "number",
            _("Mean final score of the classified people, out of 100."),
            lambda row: figures_of(row).mean,
            nullable=True,
        ),
        Field(
            "receipts",
            "integer",
            _("Receipts with a rating code issued at the one-stop desks this month."),
            lambda row: figures_of(row).receipts,
        ),
        Field(
            "ratings",
            "integer",
            _("Citizens' ratings received this month."),
            lambda row: figures_of(row).ratings,
            nullable=True,
        ),
        Field(
            "satisfaction",
            "number",
            _("Satisfied and very satisfied answers, in percent of all answers."),
            lambda row: figures_of(row).satisfaction,
            nullable=True,
        ),
        Field(
            "response_rate",
            "number",
            _("Receipts that were rated, in percent."),
            lambda row: figures_of(row).response_rate,
            nullable=True,
        ),
    ]


PERIOD_FIELDS: list[Field] = [
    Field("period", "string", _("The month, as YYYY-MM."), lambda row: row.release.key),
    Field("year", "integer", _("The year."), lambda row: row.release.year),
    Field("month", "integer", _("The month, 1 to 12."), lambda row: row.release.month),
    Field(
        "release",
        "integer",
        _("The number of this release of the month; 1 unless corrected."),
        lambda row: row.release.number,
    ),
    Field(
        "published_at",
        "string",
        _("When this release became public (ISO 8601)."),
        lambda row: row.release.public_from,
        format="date-time",
    ),
    Field(
        "is_correction",
        "boolean",
        _("Whether this release corrects an earlier one."),
        lambda row: row.release.is_correction,
    ),
    Field(
        "correction_note",
        "string",
        _("What the correction changed; empty for a first release."),
        lambda row: row.release.correction_note,
    ),
    Field(
        "earlier_releases",
        "array",
        _("The numbers of the earlier releases of the month, still readable with ?release=N."),
        lambda row: list(row.release.earlier),
        items="integer",
    ),
    Field(
        "suppression_minimum",
        "integer",
        _("Figures about fewer people or ratings than this are null."),
        lambda row: row.release.minimum,
    ),
    Field(
        "units_count",
        "integer",
        _("Units in the month's report."),
        lambda row: row.release.units_count,
    ),
    Field(
        "units_reporting",
        "integer",
        _("Units that submitted their month."),
        lambda row: row.release.units_reporting,
    ),
    *_people_fields(lambda row: row.release.locality),
    Field(
        "url",
        "string",
        _("The address of the month's units."),
        lambda row: row.url,
        format="uri",
    ),
]

UNIT_FIELDS: list[Field] = [
    Field("code", "string", _("The unit's code."), lambda unit: unit.code),
    Field("name", "string", _("The unit's name."), lambda unit: unit.name),
    Field("kind", "string", _("The code of the unit's kind."), lambda unit: unit.kind),
    Field("kind_name", "string", _("The name of the unit's kind."), lambda unit: unit.kind_name),
    Field(
        "submitted",
        "boolean",
        _("Whether the unit submitted its month."),
        lambda unit: unit.submitted,
    ),
    *_people_fields(lambda unit: unit.figures),
]


# What a month's units answer says about the release it reads, beside its rows.
RELEASE_FIELDS: list[Field] = [
    field
    for field in PERIOD_FIELDS
    if field.name
    in {
        "period",
        "year",
        "month",
        "release",
        "published_at",
        "is_correction",
        "correction_note",
        "earlier_releases",
    }
]
