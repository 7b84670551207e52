"""This month's progress per unit, the open flags and what is late: the dashboard's figures.

:func:`month_progress` reads one month for the units a user follows in a fixed number of
queries whatever the number of units and people: the month (one or two), every sheet in
scope with its unit and whether it has a work plan (one), the units' month reports (one)
and the objectivity flags (:func:`scoring.oversight.objectivity.objectivity_report`, at
most seven). Lateness is the unit month report's rule
(:func:`scoring.oversight.month_report.lateness`), computed by the database.

The cost is one pass over the month's sheets in scope (and, for the flags, over the
evaluated ones with their frozen lines), on each visit to the admin home: linear in the
headcount, as the month report and the objectivity report are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef
from django.utils import timezone

from scoring.calendar.models import Period
from scoring.cycle.closing import unit_months
from scoring.cycle.models import Evaluation, WorkItem
from scoring.organisation.staff import under_paths
from scoring.oversight.month_report import SELF_SCORED, late_sheet
from scoring.oversight.objectivity import Flag, objectivity_report

State = Evaluation.State

# Each sheet stands at its furthest step; the chart stacks these, in this order.
EVALUATED = "evaluated"
AWAITING_EVALUATION = "awaiting_evaluation"
PLANNED = "planned"
NOT_STARTED = "not_started"
ABSENT = "absent"
STAGES = (EVALUATED, AWAITING_EVALUATION, PLANNED, NOT_STARTED, ABSENT)


def stage_of(state: str, has_plan: bool) -> str:
    """The furthest step a sheet has reached: evaluated, self-scored and waiting for its
    evaluator, plan registered (a draft or a returned sheet with work items), nothing yet;
    an excused sheet is absent."""
    if state == State.EXCUSED:
        return ABSENT
    if state == State.APPROVED:
        return EVALUATED
    if state in SELF_SCORED:
        return AWAITING_EVALUATION
    return PLANNED if has_plan else NOT_STARTED


@dataclass
class UnitProgress:
    """One unit's month (or the total of the units shown, with ``unit_id`` None).

    ``planned`` counts sheets with at least one work item; ``self_scored`` those submitted
    or evaluated; ``evaluated`` the approved ones; ``absent`` the excused ones; ``late``
    the sheets the month report lists as late (a step missing or done after its
    deadline). ``stages`` counts each sheet once, at its furthest step (:data:`STAGES`).
    """

    unit_id: int | None
    name: str
    path: str = ""
    sheets: int = 0
    planned: int = 0
    self_scored: int = 0
    evaluated: int = 0
    absent: int = 0
    late: int = 0
    submitted_at: datetime.datetime | None = None
    stages: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    def count(self, sheet: Evaluation, late: bool) -> None:
        """Add one sheet (with ``has_plan`` annotated) to the figures."""
        self.sheets += 1
        self.planned += bool(sheet.has_plan)
        self.self_scored += sheet.state in SELF_SCORED
        self.evaluated += sheet.state == State.APPROVED
        self.absent += sheet.state == State.EXCUSED
        self.late += late
        self.stages[stage_of(sheet.state, sheet.has_plan)] += 1


@dataclass
class MonthProgress:
    """The month's figures for the units in scope, in tree order, with their total.

    ``overdue_units`` are the units that have not submitted their report although the
    evaluation deadline has passed (none in a locked month: nothing can be sent any
    more); ``flags`` the open objectivity flags of the units in scope.
    """

    period: Period
    today: datetime.date
    units: list[UnitProgress]
    total: UnitProgress
    flags: list[Flag]

    @property
    def submitted_units(self) -> int:
        return sum(1 for unit in self.units if unit.is_submitted)

    @property
    def deadline_passed(self) -> bool:
        return self.today > self.period.evaluation_deadline

    @property
    def overdue_units(self) -> list[UnitProgress]:
        if self.period.is_closed or not self.deadline_passed:
            return []
        return [unit for unit in self.units if not unit.is_submitted]

    @property
    def late_units(self) -> list[UnitProgress]:
        """The units with late sheets, most late first."""
        late = [unit for unit in self.units if unit.late]
        return sorted(late, key=lambda unit: (-unit.late, unit.path))


def this_month() -> Period | None:
    """The newest month that is not locked, else the newest month (the oversight pages'
    default too); ``None`` before the first month."""
    periods = Period.objects.order_by("-year", "-month")
    return periods.exclude(state=Period.State.CLOSED).first() or periods.first()


def month_sheets(
    period: Period, unit_paths: tuple[str, ...] | None, today: datetime.date
) -> list[Evaluation]:
    """The month's sheets under ``unit_paths`` (None: every unit), in tree order, with
    what the counts read: state, the unit, whether there is a work plan, and whether
    the sheet is late on ``today`` (``is_late``, by the month report's rule; one query)."""
    plans = WorkItem.objects.filter(evaluation=OuterRef("pk"))
    return list(
        Evaluation.objects.filter(period=period)
        .filter(under_paths(unit_paths, "unit__path"))
        .select_related("unit")
        .only("pk", "state", "submitted_at", "decided_at", "unit__name", "unit__path")
        .annotate(
            has_plan=Exists(plans),
            is_late=ExpressionWrapper(late_sheet(period, today), output_field=BooleanField()),
        )
        .order_by("unit__path", "pk")
    )


def month_progress(
    period: Period,
    unit_paths: tuple[str, ...] | None = None,
    today: datetime.date | None = None,
) -> MonthProgress:
    """The progress of ``period`` for the units under ``unit_paths`` (None: every unit),
    lateness judged on ``today`` (today)."""
    today = today or timezone.localdate()
    reports = unit_months(period)
    units: dict[int, UnitProgress] = {}
    total = UnitProgress(None, "")
    for sheet in month_sheets(period, unit_paths, today):
        unit = units.get(sheet.unit_id)
        if unit is None:
            report = reports.get(sheet.unit_id)
            unit = units[sheet.unit_id] = UnitProgress(
                sheet.unit_id,
                sheet.unit.name,
                sheet.unit.path,
                submitted_at=report.submitted_at if report else None,
            )
        late = bool(sheet.is_late)
        unit.count(sheet, late)
        total.count(sheet, late)
    flags = objectivity_report(period, unit_paths).flags
    return MonthProgress(period, today, list(units.values()), total, flags)
