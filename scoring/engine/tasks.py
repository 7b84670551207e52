"""Task results (tiêu chí kết quả thực hiện nhiệm vụ) the Decree 335/2025/NĐ-CP way.

Completed work is compared with assigned work in converted products (weight × quantity)
on three measures: quantity, quality and timeliness (số lượng / chất lượng / tiến độ).
Each item's quality and timeliness share is its converted amount; each major error
removes a fixed part of its quality share and each delay a fixed part of its timeliness
share (25% in the decree), never below 0, unless an objective cause is accepted. The
decree's exact combining formula was not retrieved, so the formula is data.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .amounts import ONE, ZERO, format_percent, format_points
from .i18n import gettext as _
from .types import WorkItemInput

QUARTER = Decimal("0.25")


@dataclass(frozen=True, slots=True)
class TaskFormula:
    """How the three ratios become the task-result ratio, and the penalty rates.

    The ratio is the weighted mean of the quantity, quality and timeliness ratios; equal
    weights give the plain mean used by public implementations of Decree 335/2025/NĐ-CP.
    ``error_penalty`` / ``delay_penalty``: share of an item's quality / timeliness share
    lost per major error / per delay (0.25 in the decree).
    """

    quantity_weight: Decimal = ONE
    quality_weight: Decimal = ONE
    timeliness_weight: Decimal = ONE
    error_penalty: Decimal = QUARTER
    delay_penalty: Decimal = QUARTER

    def __post_init__(self) -> None:
        weights = (self.quantity_weight, self.quality_weight, self.timeliness_weight)
        if min(weights) < 0 or sum(weights) <= 0:
            raise ValueError("Task formula weights must be non-negative with a positive sum.")
        for penalty in (self.error_penalty, self.delay_penalty):
            if not ZERO <= penalty <= ONE:
                raise ValueError("Task formula penalties must lie between 0 and 1.")


MEAN_FORMULA = TaskFormula()


@dataclass(frozen=True, slots=True)
class TaskRatios:
    """Converted amounts (products) and the three ratios (0..1) of a month's work."""

    assigned: Decimal
    done: Decimal
    quantity: Decimal
    quality: Decimal
    timeliness: Decimal


def converted_amount(item: WorkItemInput) -> Decimal:
    """Converted products of an item: conversion weight × quantity (quy đổi)."""
    return item.weight * item.quantity


def kept_share(count: int, penalty: Decimal) -> Decimal:
    """Part (0..1) of a share kept after ``count`` penalties of ``penalty`` each.

    Floored at 0: with the decree's 25%, four or more major errors (or delays) keep 0.
    """
    return max(ZERO, ONE - penalty * max(count, 0))


def task_ratios(items: Iterable[WorkItemInput], formula: TaskFormula = MEAN_FORMULA) -> TaskRatios:
    """Quantity, quality and timeliness ratios of the month's items (Decree 335/2025).

    quantity = converted done / converted assigned; an item not done has 0 quality and 0
    timeliness share; an accepted objective cause waives both penalties. With nothing
    assigned (no items, or converted total 0) every ratio is 0.
    """
    assigned = done = quality = timeliness = ZERO
    for item in items:
        amount = converted_amount(item)
        assigned += amount
        if not item.done:
            continue
        done += amount
        if item.objective_cause:
            quality += amount
            timeliness += amount
        else:
            quality += amount * kept_share(item.major_errors, formula.error_penalty)
            timeliness += amount * kept_share(item.delays, formula.delay_penalty)
    if assigned <= 0:
        return TaskRatios(assigned, done, ZERO, ZERO, ZERO)
    return TaskRatios(assigned, done, done / assigned, quality / assigned, timeliness / assigned)


def combined_ratio(ratios: TaskRatios, formula: TaskFormula = MEAN_FORMULA) -> Decimal:
    """Task-result ratio (0..1): the formula's weighted mean of the three ratios."""
    weighted = (
        ratios.quantity * formula.quantity_weight
        + ratios.quality * formula.quality_weight
        + ratios.timeliness * formula.timeliness_weight
    )
    weights = formula.quantity_weight + formula.quality_weight + formula.timeliness_weight
    return weighted / weights


def explain_task_ratios(ratios: TaskRatios) -> str:
    """Human-readable account of the ratios, or a note that no work was registered."""
    if ratios.assigned <= 0:
        return _("No work registered for the period: task results count 0")
    return _(
        "%(done)s of %(assigned)s converted products done; quantity %(quantity)s%%, "
        "quality %(quality)s%%, timeliness %(timeliness)s%%"
    ) % {
        "done": format_points(ratios.done),
        "assigned": format_points(ratios.assigned),
        "quantity": format_percent(ratios.quantity),
        "quality": format_percent(ratios.quality),
        "timeliness": format_percent(ratios.timeliness),
    }


def task_result_points(
    items: Iterable[WorkItemInput], max_points: Decimal, formula: TaskFormula = MEAN_FORMULA
) -> tuple[Decimal, str]:
    """Unrounded task-result points (combined ratio × ``max_points``) and explanation.

    With the default formula: mean of the three ratios × 70 under Decree 335/2025/NĐ-CP.
    """
    ratios = task_ratios(items, formula)
    return combined_ratio(ratios, formula) * max_points, explain_task_ratios(ratios)
