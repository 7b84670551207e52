"""Numeric validation of sheet lines (reasons and evidence are the caller's business)."""

from collections.abc import Callable, Sequence
from decimal import Decimal

from .amounts import ONE, ZERO, format_points
from .i18n import gettext as _
from .types import (
    CriterionKind,
    LineError,
    LineInput,
    SatisfactionInput,
    TaskResultInput,
    UnitResultInput,
    WorkItemInput,
)


def _check_entered(line: LineInput, required: bool) -> list[str]:
    """Entered points: present when ``required``, not negative, not above the maximum."""
    if line.points is None:
        return [_("Points not entered")] if required else []
    if line.points < 0:
        return [_("Points cannot be negative")]
    if line.points > line.max_points:
        text = _("%(points)s points exceed the maximum of %(max)s")
        return [
            text % {"points": format_points(line.points), "max": format_points(line.max_points)}
        ]
    return []


def _check_manual(line: LineInput) -> list[str]:
    """Manual lines must be entered."""
    return _check_entered(line, required=True)


def _check_optional(line: LineInput) -> list[str]:
    """Bonus and deduction lines may be left empty (counts 0)."""
    return _check_entered(line, required=False)


def _check_item(index: int, item: WorkItemInput) -> list[str]:
    """A work item needs non-negative weight, quantity and counts (``index`` from 1)."""
    messages = []
    if item.weight < 0 or item.quantity < 0:
        messages.append(_("Work item %(index)s has a negative weight or quantity"))
    if item.delays < 0 or item.major_errors < 0:
        messages.append(_("Work item %(index)s has a negative count of delays or errors"))
    return [message % {"index": index} for message in messages]


def _check_task(line: LineInput) -> list[str]:
    """A task_result line needs its work items (an empty list is valid: no work)."""
    if not isinstance(line.computed, TaskResultInput):
        return [_("Work items missing for the task-result line")]
    return [
        message
        for index, item in enumerate(line.computed.items, start=1)
        for message in _check_item(index, item)
    ]


def _check_unit(line: LineInput) -> list[str]:
    """A unit_result line needs the managed people's levels (empty = manages nobody)."""
    if not isinstance(line.computed, UnitResultInput):
        return [_("Levels of the managed people missing for the unit-result line")]
    return []


def _check_satisfaction(line: LineInput) -> list[str]:
    """A satisfaction ratio, when given, lies in 0..1; no figure at all is valid."""
    if line.computed is None:
        return []
    if not isinstance(line.computed, SatisfactionInput):
        return [_("Wrong inputs for the citizen-satisfaction line")]
    ratio = line.computed.ratio
    if ratio is not None and not ZERO <= ratio <= ONE:
        return [_("Satisfaction ratio %(ratio)s is outside 0 to 1") % {"ratio": ratio}]
    return []


KIND_CHECKS: dict[CriterionKind, Callable[[LineInput], list[str]]] = {
    CriterionKind.MANUAL: _check_manual,
    CriterionKind.BONUS: _check_optional,
    CriterionKind.DEDUCTION: _check_optional,
    CriterionKind.TASK_RESULT: _check_task,
    CriterionKind.UNIT_RESULT: _check_unit,
    CriterionKind.CITIZEN_SATISFACTION: _check_satisfaction,
}


def _check_common(line: LineInput) -> list[str]:
    """Checks for every kind: a non-negative maximum; discipline only on deductions."""
    messages = []
    if line.max_points < Decimal(0):
        messages.append(_("Maximum points cannot be negative"))
    if line.is_discipline and line.kind != CriterionKind.DEDUCTION:
        messages.append(_("Only a deduction line can carry a discipline flag"))
    return messages


def validate_lines(lines: Sequence[LineInput]) -> list[LineError]:
    """Numeric problems of a sheet as (code, message) pairs; empty when the sheet is clean.

    Flags duplicate codes, negative maxima, manual lines not entered, entered points that
    are negative or above the line maximum, missing or malformed computed inputs
    (negative work items, satisfaction ratio outside 0..1). Scoring still works on a
    sheet with errors: entered points are then limited to 0..max.
    """
    errors: list[LineError] = []
    seen: set[str] = set()
    for line in lines:
        if line.code in seen:
            errors.append(LineError(line.code, _("Duplicate line code")))
        seen.add(line.code)
        messages = _check_common(line) + KIND_CHECKS[line.kind](line)
        errors.extend(LineError(line.code, message) for message in messages)
    return errors
