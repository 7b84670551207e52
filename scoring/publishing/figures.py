"""The figures a release freezes: aggregates of a locked month, suppressed.

:func:`build_figures` reads the locality's month report
(:func:`scoring.oversight.locality.locality_report`) and the month's ratings tally
(:func:`scoring.ratings.tally.month_figures`), and returns plain JSON: the locality's
totals, one row per unit and one per desk. Every count below ``PUBLISH_MINIMUM``
(people or ratings) and what would let it be recovered by subtraction is ``None``
(:func:`scoring.engine.suppression.suppress`); a mean or a share of a hidden figure too.
No name of a person is ever in it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.utils import timezone

from scoring.calendar.models import Period
from scoring.cycle.models import Evaluation
from scoring.engine import Level
from scoring.engine.rollup import as_decimal
from scoring.engine.suppression import suppress, suppress_column
from scoring.oversight.locality import Figures, locality_report
from scoring.ratings.models import ServiceDesk
from scoring.ratings.tally import Figures as RatingFigures
from scoring.ratings.tally import month_figures

SCHEMA = 1
LEVELS = [int(level) for level in Level]
TENTH = Decimal("0.1")


def minimum() -> int:
    return int(getattr(settings, "PUBLISH_MINIMUM", 10))


def _percent(part: int, whole: int) -> str | None:
    if not whole:
        return None
    return str(as_decimal(Fraction(part * 100, whole), 1))


def _ratio(ratio: Decimal | None) -> str | None:
    return None if ratio is None else str((ratio * 100).quantize(TENTH, rounding=ROUND_HALF_UP))


def _people(figures: Figures, hidden: list[bool]) -> dict:
    """Classified people, per level, shares and the mean, with hidden cells as None."""
    counts = [figures.classified, *(figures.counts[level] for level in LEVELS)]
    shown = [None if hide else value for value, hide in zip(counts, hidden, strict=True)]
    classified = shown[0]
    levels = {str(level): shown[index + 1] for index, level in enumerate(LEVELS)}
    shares = {
        key: _percent(value, figures.classified) if value is not None and classified else None
        for key, value in levels.items()
    }
    mean = figures.mean_shown if classified is not None else None
    return {
        "classified": classified,
        "levels": levels,
        "shares": shares,
        "mean": None if mean is None else str(mean),
    }


def _ratings(figures: RatingFigures | None, hide: bool) -> dict:
    figures = figures or RatingFigures()
    return {
        "receipts": figures.receipts,
        "ratings": None if hide else figures.ratings,
        "satisfaction": None if hide else _ratio(figures.ratio),
        "response_rate": None if hide else _ratio(figures.response_rate),
    }


def build_figures(period: Period) -> dict:
    """The public figures of ``period`` (a few queries whatever its size)."""
    least = minimum()
    report = locality_report(period, today=timezone.localdate(), with_flags=False)
    by_unit = month_figures(period.year, period.month, "unit")
    by_desk = month_figures(period.year, period.month, "desk")
    table = [
        [row.figures.classified, *(row.figures.counts[level] for level in LEVELS)]
        for row in report.rows
    ]
    hidden = suppress(table, least)
    unit_ratings = [by_unit.get(row.unit.pk, RatingFigures()).ratings for row in report.rows]
    ratings_hidden = suppress_column(unit_ratings, least)
    totals = report.totals
    total_hidden = suppress(
        [[totals.classified, *(totals.counts[level] for level in LEVELS)]], least
    )[0]
    all_ratings = RatingFigures()
    for figures in by_unit.values():
        all_ratings.receipts += figures.receipts
        all_ratings.ratings += figures.ratings
        all_ratings.satisfied += figures.satisfied
    desks = list(
        ServiceDesk.objects.filter(pk__in=list(by_desk)).select_related("unit").order_by("code")
    )
    desk_hidden = suppress_column([by_desk[desk.pk].ratings for desk in desks], least)
    leaders = _leaders(period) if getattr(settings, "PUBLISH_LEADER_RESULTS", False) else {}
    return {
        "schema": SCHEMA,
        "period": f"{period.year:04d}-{period.month:02d}",
        "minimum": least,
        "locality": {
            "units": len(report.rows),
            "units_reporting": report.submitted_count,
            **_people(totals, total_hidden),
            **_ratings(all_ratings, all_ratings.ratings < least),
        },
        "units": [
            {
                "code": row.unit.code,
                "name": row.unit.name,
                "kind": row.unit.kind.code,
                "kind_name": row.unit.kind.name,
                "path": row.unit.path,
                "submitted": row.submitted,
                **_people(row.figures, hidden[index]),
                **_ratings(by_unit.get(row.unit.pk), ratings_hidden[index]),
                "leaders": leaders.get(row.unit.pk, []),
            }
            for index, row in enumerate(report.rows)
        ],
        "desks": [
            {
                "code": desk.code,
                "name": desk.name,
                "unit": desk.unit.code,
                **_ratings(by_desk[desk.pk], desk_hidden[index]),
            }
            for index, desk in enumerate(desks)
        ],
    }


def _leaders(period: Period) -> dict[int, list[dict]]:
    """The month of each unit's heads (``PUBLISH_LEADER_RESULTS``): a leader's result is
    public by their office; nobody else's name is ever published (one query)."""
    found: dict[int, list[dict]] = {}
    sheets = (
        Evaluation.objects.filter(
            period=period, position__is_head=True, state=Evaluation.State.APPROVED
        )
        .select_related("staff", "position")
        .order_by("unit_id", "position__rank", "staff__full_name")
    )
    for sheet in sheets:
        found.setdefault(sheet.unit_id, []).append(
            {
                "name": sheet.staff.full_name,
                "position": sheet.position.name,
                "total": None if sheet.final_total is None else str(sheet.final_total),
                "level": sheet.level,
            }
        )
    return found
