"""Scoring a whole evaluation sheet: lines, total and classification.

Decree 335/2025/NĐ-CP: 100 points, up to 30 for general criteria (manual lines) and up to
70 for task results; Hà Nội 3814-QĐ/TU adds up to 10 bonus points. Leaders also score on
their unit's result (Decree 90/2020, Decree 335/2025/NĐ-CP) and, where a locality uses it,
on citizen satisfaction. Bands, the task formula, the unit rule and caps are arguments.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .amounts import ONE, ZERO, clamp, format_percent, format_points, round_points
from .classify import DEFAULT_BANDS, classify, shown_total
from .i18n import gettext as _
from .i18n import gettext_noop
from .tasks import MEAN_FORMULA, TaskFormula, task_result_points
from .types import (
    Band,
    CriterionKind,
    LineInput,
    LineResult,
    SatisfactionInput,
    SheetResult,
    TaskResultInput,
    UnitResultInput,
)
from .unit import DEFAULT_UNIT_RULE, UnitResultRule, unit_result_ratio
from .validate import validate_lines


@dataclass(frozen=True, slots=True)
class _Rules:
    """Rules a line scorer may need."""

    formula: TaskFormula
    unit_rule: UnitResultRule


KIND_SIGNS: dict[CriterionKind, int] = {CriterionKind.DEDUCTION: -1}

ENTERED_TEXTS: dict[CriterionKind, str] = {
    CriterionKind.MANUAL: gettext_noop("%(points)s of %(max)s points"),
    CriterionKind.BONUS: gettext_noop("Bonus of %(points)s points (up to %(max)s)"),
    CriterionKind.DEDUCTION: gettext_noop("Deduction of %(points)s points (up to %(max)s)"),
}

NOT_ENTERED_TEXTS: dict[CriterionKind, str] = {
    CriterionKind.MANUAL: gettext_noop("Not entered: counts 0 of %(max)s points"),
    CriterionKind.BONUS: gettext_noop("No bonus"),
    CriterionKind.DEDUCTION: gettext_noop("No deduction"),
}


def _result(
    line: LineInput, points: Decimal, explanation: str, skipped: bool = False, **flags: bool
) -> LineResult:
    """A line result: points shown to 0.01, the exact points and their signed contribution."""
    contribution = points * KIND_SIGNS.get(line.kind, 1)
    return LineResult(
        line.code,
        line.kind,
        round_points(points),
        line.max_points,
        explanation,
        skipped,
        contribution,
        exact=points,
        **flags,
    )


def _missing_input(line: LineInput) -> LineResult:
    """A computed line without usable inputs: skipped, 0 points."""
    return _result(line, ZERO, _("Inputs missing: the line counts 0"), skipped=True)


def _entered_text(line: LineInput, points: Decimal) -> str:
    """Explanation of an entered line, noting clamping and a discipline flag."""
    values = {"points": format_points(points), "max": format_points(line.max_points)}
    text = _(ENTERED_TEXTS[line.kind]) % values
    if points != line.points:
        limited = _("%(explanation)s; %(entered)s entered, limited to the allowed range")
        text = limited % {"explanation": text, "entered": format_points(line.points)}
    return text


def _score_entered(line: LineInput, rules: _Rules) -> LineResult:
    """Manual, bonus and deduction lines: the entered points limited to 0..max.

    Not entered counts 0. A discipline-flagged deduction says it forces failure.
    """
    if line.points is None:
        text = _(NOT_ENTERED_TEXTS[line.kind]) % {"max": format_points(line.max_points)}
        points = ZERO
    else:
        points = clamp(line.points, ZERO, line.max_points)
        text = _entered_text(line, points)
    if line.is_discipline and line.kind == CriterionKind.DEDUCTION:
        text = _("%(explanation)s; reprimand or heavier discipline forces failure") % {
            "explanation": text
        }
    return _result(line, points, text)


def _score_task(line: LineInput, rules: _Rules) -> LineResult:
    """Task-result line: combined ratio of the work items × the line maximum.

    With nothing assigned there is nothing to compare the work done with: the line
    cannot be computed and is not 0 of its maximum. It waits for the evaluator to score
    it by hand (``line.points``, entered with a reason) and counts 0 until then.
    """
    if not isinstance(line.computed, TaskResultInput):
        return _missing_input(line)
    if not line.computed.items:
        return _score_without_plan(line)
    points, text = task_result_points(line.computed.items, line.max_points, rules.formula)
    return _result(line, points, text)


def _score_without_plan(line: LineInput) -> LineResult:
    """A task-result line of a month with no work plan: by hand, or not at all."""
    if line.points is None:
        text = _("No work plan: the task results cannot be computed; the evaluator scores them")
        return _result(line, ZERO, text, skipped=True, needs_hand_score=True)
    points = clamp(line.points, ZERO, line.max_points)
    text = _("No work plan: scored by hand by the evaluator, %(points)s of %(max)s points") % {
        "points": format_points(points),
        "max": format_points(line.max_points),
    }
    return _result(line, points, text)


def _score_unit(line: LineInput, rules: _Rules) -> LineResult:
    """Unit-result line: unit ratio × the line maximum."""
    if not isinstance(line.computed, UnitResultInput):
        return _missing_input(line)
    ratio, text = unit_result_ratio(line.computed.staff_levels, rules.unit_rule)
    return _result(line, ratio * line.max_points, text)


def _score_satisfaction(line: LineInput, rules: _Rules) -> LineResult:
    """Citizen-satisfaction line: ratio (limited to 0..1) × maximum; skipped without one."""
    computed = line.computed
    if computed is not None and not isinstance(computed, SatisfactionInput):
        return _missing_input(line)
    if computed is None or computed.ratio is None:
        text = _("No citizen satisfaction figure for the period: line skipped")
        return _result(line, ZERO, text, skipped=True)
    ratio = clamp(computed.ratio, ZERO, ONE)
    text = computed.explanation or _("%(ratio)s%% of rated dossiers satisfied") % {
        "ratio": format_percent(ratio)
    }
    return _result(line, ratio * line.max_points, text)


SCORERS: dict[CriterionKind, Callable[[LineInput, _Rules], LineResult]] = {
    CriterionKind.MANUAL: _score_entered,
    CriterionKind.BONUS: _score_entered,
    CriterionKind.DEDUCTION: _score_entered,
    CriterionKind.TASK_RESULT: _score_task,
    CriterionKind.UNIT_RESULT: _score_unit,
    CriterionKind.CITIZEN_SATISFACTION: _score_satisfaction,
}


def score_line(
    line: LineInput,
    formula: TaskFormula = MEAN_FORMULA,
    unit_rule: UnitResultRule = DEFAULT_UNIT_RULE,
) -> LineResult:
    """Score one line alone: points awarded (0..max, rounded to 0.01) and explanation."""
    return SCORERS[line.kind](line, _Rules(formula, unit_rule))


def sheet_total(results: Sequence[LineResult], max_total: Decimal | None = None) -> Decimal:
    """The exact sum of the lines' signed contributions in points, floored at 0 and, when
    given, capped at ``max_total`` (the set's maximum, e.g. 100): whatever the bonus or
    deduction lines say, a total stays within 0 and the maximum. Unrounded: see
    :func:`scoring.engine.classify.shown_total` for the figure people read."""
    total = max(ZERO, sum((result.contribution for result in results), ZERO))
    if max_total is not None:
        total = min(total, max_total)
    return total


def has_discipline(lines: Sequence[LineInput]) -> bool:
    """True when a deduction line carries a reprimand-or-heavier discipline flag."""
    return any(line.is_discipline and line.kind == CriterionKind.DEDUCTION for line in lines)


def score_sheet(
    lines: Sequence[LineInput],
    bands: Sequence[Band] = DEFAULT_BANDS,
    formula: TaskFormula = MEAN_FORMULA,
    cap_level: int | None = None,
    unit_rule: UnitResultRule = DEFAULT_UNIT_RULE,
    max_total: Decimal | None = None,
) -> SheetResult:
    """Score a monthly/quarterly sheet (Decree 335/2025/NĐ-CP, 3814-QĐ/TU).

    Manual lines and bonuses add, deductions subtract, computed lines follow their inputs;
    the exact total stays within 0 and ``max_total`` and decides the level, and the shown
    total (2 decimals) never crosses a band edge the exact one has not. A
    discipline-flagged deduction forces failure; ``cap_level`` limits the level.
    Validation errors are reported in ``errors`` and do not stop scoring (entered points
    are limited to 0..max).
    """
    rules = _Rules(formula, unit_rule)
    results = [SCORERS[line.kind](line, rules) for line in lines]
    exact = sheet_total(results, max_total)
    classification = classify(exact, bands, has_discipline(lines), cap_level)
    return SheetResult(
        results,
        shown_total(exact, bands),
        classification.level,
        classification.explanation,
        validate_lines(lines),
        exact_total=exact,
    )
