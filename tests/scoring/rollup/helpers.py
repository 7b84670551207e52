"""Months as the cycle leaves them: closed periods with frozen totals, absences, pending."""

from __future__ import annotations

import datetime
from decimal import Decimal

from scoring.cycle.periods import default_deadlines
from scoring.engine import DEFAULT_BANDS, band_for
from scoring.models import CriteriaSet, Evaluation, Period, Position, Staff, Unit
from tests import factories as f

State = Evaluation.State


def period(year: int, month: int) -> Period:
    found = Period.objects.filter(year=year, month=month).first()
    return found or Period.objects.create(year=year, month=month, **default_deadlines(year, month))


def criteria_set(code: str = "nd335") -> CriteriaSet:
    return CriteriaSet.objects.filter(code=code).order_by("-version").first()


def sheet(
    person: Staff,
    year: int,
    month: int,
    total: str | None,
    unit: Unit,
    state: str = State.APPROVED,
    position: Position | None = None,
    on_set: CriteriaSet | None = None,
) -> Evaluation:
    """A person's sheet of a month with its final total (None: absent or not scored)."""
    value = Decimal(total) if total is not None else None
    return Evaluation.objects.create(
        period=period(year, month),
        staff=person,
        criteria_set=on_set or criteria_set(),
        unit=unit,
        position=position or f.position("chuyen-vien"),
        state=state,
        final_total=value,
        level=band_for(value, DEFAULT_BANDS).level if value is not None else None,
    )


def months(person: Staff, year: int, totals: dict[int, str | None], unit: Unit, **kwargs):
    """Sheets for several months: ``{month: total}``; a None total is an absent month."""
    for month, total in totals.items():
        state = State.EXCUSED if total is None else State.APPROVED
        sheet(person, year, month, total, unit, state=state, **kwargs)


def close(year: int, *months: int) -> None:
    """Close months whose sheets are in place (their totals are then frozen)."""
    for month in months:
        Period.objects.filter(year=year, month=month).update(
            state=Period.State.CLOSED, closed_at=datetime.datetime.now(datetime.UTC)
        )
