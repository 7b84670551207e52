"""Absences for good cause: which months they excuse, and the sheets that follow them.

A month entirely covered by a person's absences (one or several, back to back) is
*absent*: the person's sheet is ``excused``. No sheet is due, no reminder is sent, the
month is left out of their leader's unit-result ratio and is frozen as absent at close,
where the quarter and year roll-ups read it. A month covered only in part keeps its
sheet. Only open months follow a change of absences: a closed month never moves.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import models, transaction
from wagtail.log_actions import log

from scoring.access.policy import reads_every_sheet, staff_of
from scoring.calendar.models import Period
from scoring.lib.months import month_bounds
from scoring.organisation.models import Staff
from scoring.organisation.staff import led_by

from .models import Absence, Evaluation, UnitMonth

State = Evaluation.State
EXCUSABLE = (State.DRAFT, State.RETURNED)  # a sheet already submitted is left as it is


def covers(ranges: Iterable[tuple[datetime.date, datetime.date]], first, last) -> bool:
    """Whether the date ranges together cover every day from ``first`` to ``last``."""
    reached = first - datetime.timedelta(days=1)
    for start, end in sorted(ranges):
        if start > reached + datetime.timedelta(days=1):
            return False
        reached = max(reached, end)
        if reached >= last:
            return True
    return reached >= last


def absent_staff(year: int, month: int, staff_ids: Iterable[int] | None = None) -> set[int]:
    """The people whose absences cover the whole month (one query)."""
    first, last = month_bounds(year, month)
    absences = Absence.objects.filter(start_date__lte=last, end_date__gte=first)
    if staff_ids is not None:
        absences = absences.filter(staff_id__in=list(staff_ids))
    ranges: dict[int, list] = defaultdict(list)
    for staff_id, start, end in absences.values_list("staff_id", "start_date", "end_date"):
        ranges[staff_id].append((start, end))
    return {staff_id for staff_id, spans in ranges.items() if covers(spans, first, last)}


@transaction.atomic
def apply_absences(period: Period, user=None) -> int:
    """Excuse the sheets of the people absent the whole month, and un-excuse the others.

    Runs when a month opens and whenever absences change; a closed month is left alone.
    Each change of state is written to the audit log. Returns how many sheets changed.
    """
    if period.is_closed:
        return 0
    absent = absent_staff(period.year, period.month)
    # A unit's submitted month holds its sheets: they follow absences once reopened.
    held = UnitMonth.objects.filter(period=period, submitted_at__isnull=False).values("unit_id")
    sheets = period.evaluations.exclude(unit_id__in=held)
    to_excuse = sheets.filter(state__in=EXCUSABLE, staff_id__in=absent)
    to_restore = sheets.filter(state=State.EXCUSED).exclude(staff_id__in=absent)
    changed = 0
    for chosen, new in ((to_excuse, State.EXCUSED), (to_restore, State.DRAFT)):
        for evaluation in chosen.only("pk", "state", "staff_id", "period_id"):
            log(
                instance=evaluation,
                action=f"scoring.{new}",
                user=user,
                data={"old": evaluation.state, "new": new},
            )
            changed += 1
        chosen.update(state=new)
    return changed


def apply_to_open_months(start: datetime.date, end: datetime.date, user=None) -> int:
    """After an absence from ``start`` to ``end`` changed: update every open month it touches."""
    periods = Period.objects.exclude(state=Period.State.CLOSED).filter(
        year__gte=start.year, year__lte=end.year
    )
    touched = [
        p
        for p in periods
        if (start.year, start.month) <= (p.year, p.month) <= (end.year, end.month)
    ]
    return sum(apply_absences(period, user) for period in touched)


def absence_subjects(user) -> models.QuerySet[Staff]:
    """Whose absences ``user`` records: everyone for the office, else the people they lead."""
    if reads_every_sheet(user):
        return Staff.objects.all()
    return led_by(staff_of(user))


def absences_for(user) -> models.QuerySet[Absence]:
    """The absences ``user`` may read and change."""
    absences = Absence.objects.select_related("staff", "reason", "recorded_by")
    if reads_every_sheet(user):
        return absences
    return absences.filter(staff__in=absence_subjects(user))
