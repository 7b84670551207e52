"""Released months for the open-data tests: one released the way the office does it, from
the seed locality, and others written directly with figures chosen for a check."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from scoring.access import roles
from scoring.cycle import closing, periods
from scoring.models import Evaluation, Period, Release
from scoring.publishing import public, releases
from tests import factories as f


def officers():
    return f.user("noivu-od-1", roles.HOME_AFFAIRS), f.user("noivu-od-2", roles.HOME_AFFAIRS)


def locked_month(year: int, month: int) -> Period:
    """A month of the seed locality, every sheet approved, every unit submitted, locked."""
    period = periods.open_period(year, month).period
    Evaluation.objects.filter(period=period).update(
        state=Evaluation.State.APPROVED, final_total=Decimal("80"), level=2
    )
    for unit in closing.month_units(period):
        closing.submit_unit_month(period, unit, None)
    return periods.close_period(period)


def release(period: Period, preparer, approver, at=None, note: str = "") -> Release:
    """Prepare and approve a release of ``period``, public from ``at`` (now by default)."""
    prepared = releases.prepare(period, preparer, at or timezone.now(), correction_note=note)
    releases.approve(prepared, approver)
    public.changed()  # the test's transaction never commits, so say it here
    return prepared


def unit_row(index: int, small: bool = False) -> dict:
    """A unit's frozen figures: 12 people, or (``small``) a unit whose figures are hidden."""
    if small:
        levels = {"1": None, "2": None, "3": None, "4": None}
        return {
            "code": f"XA{index:03d}",
            "name": f"Xã Lũng Cú {index}",
            "kind": "commune",
            "kind_name": "Xã",
            "submitted": True,
            "classified": None,
            "levels": levels,
            "shares": dict(levels),
            "mean": None,
            "receipts": 5,
            "ratings": None,
            "satisfaction": None,
            "response_rate": None,
        }
    return {
        "code": f"PH{index:03d}",
        "name": f"Phường Đồng Văn {index}",
        "kind": "ward",
        "kind_name": "Phường",
        "submitted": True,
        "classified": 12,
        "levels": {"1": 2, "2": 10, "3": None, "4": None},
        "shares": {"1": "16.7", "2": "83.3", "3": None, "4": None},
        "mean": "86.25",
        "receipts": 40,
        "ratings": 20,
        "satisfaction": "95.0",
        "response_rate": "50.0",
    }


def figures(year: int, month: int, rows: list[dict]) -> dict:
    return {
        "schema": 1,
        "period": f"{year:04d}-{month:02d}",
        "minimum": 10,
        "locality": {
            "units": len(rows),
            "units_reporting": len(rows),
            "classified": 12 * len(rows),
            "levels": {"1": 2 * len(rows), "2": 10 * len(rows), "3": None, "4": None},
            "shares": {"1": "16.7", "2": "83.3", "3": None, "4": None},
            "mean": "86.25",
            "receipts": 40 * len(rows),
            "ratings": 20 * len(rows),
            "satisfaction": "95.0",
            "response_rate": "50.0",
        },
        "units": rows,
        "desks": [],
    }


def written_release(year: int, month: int, rows: list[dict], preparer, approver, at=None):
    """A released month written directly, with the frozen figures given."""
    day = datetime.date(year, month, 28)
    past = timezone.now() - datetime.timedelta(hours=1)
    period = Period.objects.create(
        year=year,
        month=month,
        state=Period.State.CLOSED,
        plan_deadline=day,
        self_deadline=day,
        evaluation_deadline=day,
    )
    made = Release.objects.create(
        period=period,
        number=1,
        figures=figures(year, month, rows),
        prepared_by=preparer,
        scheduled_for=at or past,
        approved_by=approver,
        approved_at=past,
    )
    public.changed()
    return made
