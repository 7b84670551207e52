"""One evaluation sheet: its lines, its arithmetic and the changes people make to it.

Every change goes through these functions, which check the month and the sheet's state,
refuse a stale form ("changed meanwhile"), and write each changed score, state and
evaluator to Wagtail's audit log with who, when, the old and the new value.
The arithmetic itself is :mod:`scoring.engine`; this module only feeds it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from scoring import engine
from scoring.access.policy import queue_filter, reads_every_sheet
from scoring.calendar.models import Period
from scoring.criteria.models import CriteriaSet, Criterion, CriterionGroup
from scoring.lib.months import start_of_today
from scoring.ratings import tally

from .models import CriterionScore, Evaluation, UnitMonth, WorkItem

State = Evaluation.State


class StaleSheet(ValidationError):
    """The sheet changed since the form was shown: nothing was saved."""


def criteria_prefetch() -> Prefetch:
    """Prefetch a set's groups, lines and bands in three queries."""
    return Prefetch(
        "criteria_set",
        queryset=CriteriaSet.objects.prefetch_related(
            Prefetch(
                "groups",
                queryset=CriterionGroup.objects.prefetch_related("criteria"),
            ),
            "bands",
        ),
    )


def set_criteria(criteria_set: CriteriaSet) -> list[Criterion]:
    """The set's lines in sheet order (uses prefetched groups when present)."""
    return [criterion for group in criteria_set.groups.all() for criterion in group.criteria.all()]


def set_bands(criteria_set: CriteriaSet) -> list[engine.Band]:
    return [engine.Band(band.level, band.minimum) for band in criteria_set.bands.all()]


def set_formula(criteria_set: CriteriaSet) -> engine.TaskFormula:
    return engine.TaskFormula(
        quantity_weight=criteria_set.quantity_weight,
        quality_weight=criteria_set.quality_weight,
        timeliness_weight=criteria_set.timeliness_weight,
    )


def work_inputs(items: Iterable[WorkItem]) -> tuple[engine.WorkItemInput, ...]:
    return tuple(
        engine.WorkItemInput(
            weight=item.product.weight,
            quantity=item.quantity,
            done=bool(item.done),
            delays=item.delays,
            major_errors=item.major_errors,
            objective_cause=item.objective_cause,
        )
        for item in items
    )


@dataclass
class SheetData:
    """What the arithmetic of one sheet needs, gathered once."""

    evaluation: Evaluation
    criteria: list[Criterion]
    scores: dict[int, CriterionScore]
    items: list[WorkItem]
    managed_levels: list[int] | None = None
    satisfaction: engine.SatisfactionInput | None = None


def hand_scored(criterion: Criterion, data: SheetData) -> bool:
    """Lines the evaluator types in: the entered kinds, and a task-result line that has
    no work plan to compute it from (scored by hand, with a reason)."""
    return criterion.is_entered or (
        criterion.kind == engine.CriterionKind.TASK_RESULT and not data.items
    )


def line_points(score: CriterionScore | None, which: str) -> Decimal | None:
    """The points of a line for ``which``: "self" (the person's) or "final" (evaluator's).

    Final points fall back to the self-assessed ones where the evaluator kept them; an
    explicit 0 is a 0 (only "nothing entered" falls back).
    """
    if score is None:
        return None
    if which == "final" and score.final_points is not None:
        return score.final_points
    return score.self_points


def line_inputs(data: SheetData, which: str) -> list[engine.LineInput]:
    """Engine inputs for ``which`` points: "self" (the person's) or "final" (evaluator's)."""
    Kind = engine.CriterionKind
    lines = []
    for criterion in data.criteria:
        score = data.scores.get(criterion.pk)
        points = line_points(score, which)
        if not criterion.is_entered:
            # A computed line takes points only when its inputs cannot compute it and
            # the evaluator scored it by hand (see hand_scored).
            by_hand = which == "final" and hand_scored(criterion, data) and score is not None
            points = score.final_points if by_hand else None
        computed = {
            Kind.TASK_RESULT: engine.TaskResultInput(items=work_inputs(data.items)),
            Kind.UNIT_RESULT: engine.UnitResultInput(staff_levels=tuple(data.managed_levels or ()))
            if data.managed_levels is not None
            else None,
            Kind.CITIZEN_SATISFACTION: data.satisfaction or engine.SatisfactionInput(),
        }.get(Kind(criterion.kind))
        if criterion.kind in (Kind.BONUS, Kind.DEDUCTION) and points is None:
            points = Decimal("0")  # no entry on a bonus or deduction line means none
        lines.append(
            engine.LineInput(
                code=criterion.code,
                kind=Kind(criterion.kind),
                max_points=criterion.max_points,
                points=points,
                # The discipline line forces failure only when it is actually applied.
                is_discipline=criterion.forces_failure and bool(points),
                computed=computed,
            )
        )
    return lines


def score(data: SheetData, which: str = "final") -> engine.SheetResult:
    """Score a sheet with the engine, under its own criteria-set version."""
    criteria_set = data.evaluation.criteria_set
    return engine.score_sheet(
        line_inputs(data, which),
        bands=set_bands(criteria_set),
        formula=set_formula(criteria_set),
        cap_level=cap_level(data, which),
        unit_rule=engine.UnitResultRule(any_fail_ratio=criteria_set.unit_fail_ratio),
        max_total=criteria_set.max_points or None,
    )


def cap_level(data: SheetData, which: str = "final") -> int | None:
    """The strictest cap among capped lines that carry points (discipline is handled apart).

    An evaluator's explicit 0 on a capped line lifts the cap the self-score put there.
    """
    caps = [
        criterion.cap_level
        for criterion in data.criteria
        if criterion.cap_level
        and not criterion.forces_failure
        and (line_points(data.scores.get(criterion.pk), which) or 0) > 0
    ]
    return max(caps) if caps else None


def load(evaluation_id: int) -> SheetData:
    """Everything one sheet page needs, in a fixed number of queries."""
    evaluation = (
        Evaluation.objects.select_related(
            "period", "staff", "unit", "position", "evaluator", "council"
        )
        .prefetch_related(criteria_prefetch())
        .get(pk=evaluation_id)
    )
    scores = {s.criterion_id: s for s in evaluation.scores.all()}
    items = list(evaluation.work_items.select_related("product"))
    data = SheetData(evaluation, set_criteria(evaluation.criteria_set), scores, items)
    if any(c.kind == engine.CriterionKind.UNIT_RESULT for c in data.criteria):
        data.managed_levels = managed_levels(evaluation)
    if any(c.kind == engine.CriterionKind.CITIZEN_SATISFACTION for c in data.criteria):
        period = evaluation.period
        before = None if period.is_closed else start_of_today()
        inputs = tally.satisfaction_inputs(
            [evaluation.staff_id], period.year, period.month, before=before
        )
        data.satisfaction = inputs.get(evaluation.staff_id)
    return data


def managed_levels(evaluation: Evaluation) -> list[int]:
    """Levels of the people this leader evaluates this month (those already evaluated)."""
    return list(
        Evaluation.objects.filter(
            period_id=evaluation.period_id, evaluator_id=evaluation.staff_id, level__isnull=False
        ).values_list("level", flat=True)
    )


# --- Who may change a sheet, and when --------------------------------------------------
#
# Each rule is one function answering with the reason it refuses (None: allowed), so the
# pages show a button exactly when the action behind it would be accepted.


def has_queue(user) -> bool:
    """Whether the user has sheets to evaluate (the office reads every queue)."""
    return reads_every_sheet(user) or Evaluation.objects.filter(queue_filter(user)).exists()


def closed_refusal(period: Period) -> str | None:
    if period.is_closed:
        return _("The month is closed: its sheets can no longer change.")
    return None


def held_refusal(evaluation: Evaluation) -> str | None:
    """A unit's submitted month holds its sheets until the office reopens it (one query)."""
    row = (
        UnitMonth.objects.filter(
            period_id=evaluation.period_id, unit_id=evaluation.unit_id, submitted_at__isnull=False
        )
        .select_related("unit")
        .first()
    )
    if row is None:
        return None
    return _(
        "%(unit)s submitted its report for %(month)s on %(when)s: its sheets cannot change "
        "unless the home-affairs office reopens the unit's month."
    ) % {
        "unit": row.unit.name,
        "month": evaluation.period,
        "when": timezone.localtime(row.submitted_at).strftime("%d/%m/%Y"),
    }


def changed_refusal(evaluation: Evaluation) -> str | None:
    """Why nobody may change the sheet now: a locked month or a submitted unit month."""
    return closed_refusal(evaluation.period) or held_refusal(evaluation)


def edit_refusal(evaluation: Evaluation) -> str | None:
    """Why the person may not change their own sheet now (None: they may)."""
    if refusal := changed_refusal(evaluation):
        return refusal
    if evaluation.is_excused:
        return _("Absent for good cause the whole month: no sheet is due.")
    if not evaluation.is_editable_by_staff:
        return _("This sheet was submitted: it can be read but not edited.")
    return None


def self_scoring_refusal(evaluation: Evaluation) -> str | None:
    """Why the person may not enter their self-assessment now (None: they may)."""
    if refusal := edit_refusal(evaluation):
        return refusal
    if evaluation.period.state not in (Period.State.SELF_SCORING, Period.State.EVALUATION):
        return _("Self-scoring has not started for this month yet.")
    return None


def plan_refusal(evaluation: Evaluation, today) -> str | None:
    """Why the person may not change their work plan now (None: they may)."""
    if refusal := edit_refusal(evaluation):
        return refusal
    if today > evaluation.period.plan_deadline:
        return _("The work plan could be changed until %(deadline)s; that deadline has passed.") % {
            "deadline": evaluation.period.plan_deadline.strftime("%d/%m/%Y")
        }
    return None


def evaluation_refusal(evaluation: Evaluation, has_plan: bool = True) -> str | None:
    """Why the evaluator may not score the sheet now (None: they may).

    A sheet is evaluated once submitted. One without a work plan cannot be submitted
    (its task results cannot be computed): once the month reaches evaluation, its
    evaluator takes it over and scores the task results by hand, with a reason.
    """
    if refusal := changed_refusal(evaluation):
        return refusal
    taken_over = (
        not has_plan
        and evaluation.is_editable_by_staff
        and evaluation.period.state == Period.State.EVALUATION
    )
    if evaluation.state != State.SUBMITTED and not taken_over:
        return _("Only a submitted sheet can be evaluated.")
    return None


def refuse(refusal: str | None) -> None:
    if refusal:
        raise ValidationError(refusal)


# --- Changing a sheet ----------------------------------------------------------------


def ensure_open(evaluation: Evaluation) -> None:
    refuse(changed_refusal(evaluation))


def claim_version(evaluation: Evaluation, expected_version: int) -> None:
    """Take the sheet for this save, or refuse if someone saved it since the form was shown.

    The conditional update also locks the row until the transaction ends, so of two
    simultaneous saves exactly one wins and the other is told.
    """
    claimed = Evaluation.objects.filter(pk=evaluation.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise StaleSheet(
            _(
                "This sheet was changed by someone else meanwhile. Nothing was saved: "
                "reload it and enter your changes again."
            )
        )
    evaluation.version = expected_version + 1


def _log(evaluation: Evaluation, action: str, user, **data) -> None:
    log(instance=evaluation, action=action, user=user, data=data)


def _clean_points(criterion: Criterion, raw, reason: str) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        points = Decimal(str(raw).replace(",", "."))
    except ArithmeticError:
        raise ValidationError(
            _("%(code)s: enter a number of points.") % {"code": criterion.code}
        ) from None
    if not points.is_finite() or points < 0 or points > criterion.max_points:
        raise ValidationError(
            _("%(code)s: points must be between 0 and %(max)s.")
            % {"code": criterion.code, "max": engine.format_points(criterion.max_points)}
        )
    if criterion.needs_reason and points > 0 and not reason.strip():
        raise ValidationError(
            _("%(code)s: bonus and deduction points need a reason.") % {"code": criterion.code}
        )
    return points.quantize(Decimal("0.01"))


def validate_entries(data: SheetData, entries) -> None:
    """Check every entered line before anything is written (all or nothing)."""
    for criterion in data.criteria:
        if hand_scored(criterion, data) and criterion.pk in entries:
            raw, note = entries[criterion.pk]
            _clean_points(criterion, raw, note or "")


def _write_scores(data: SheetData, entries, user, points_field: str, note_field: str) -> None:
    """Write the entered lines; ``entries`` maps criterion id → (points, note).

    One audit-log entry lists every changed line with its old and new value.
    """
    evaluation = data.evaluation
    new_scores, changed_scores, changes = [], [], []
    for criterion in data.criteria:
        if not hand_scored(criterion, data) or criterion.pk not in entries:
            continue
        if not criterion.is_entered and points_field == "self_points":
            continue  # only the evaluator scores a computed line by hand
        raw, note = entries[criterion.pk]
        note = (note or "").strip()
        points = _clean_points(criterion, raw, note)
        score = data.scores.get(criterion.pk)
        if score is None:
            score = CriterionScore(evaluation=evaluation, criterion=criterion)
            new_scores.append(score)
        elif getattr(score, points_field) == points and getattr(score, note_field) == note:
            continue
        else:
            changed_scores.append(score)
        old = getattr(score, points_field)
        setattr(score, points_field, points)
        setattr(score, note_field, note)
        data.scores[criterion.pk] = score
        changes.append(
            {
                "line": criterion.code,
                "old": None if old is None else str(old),
                "new": None if points is None else str(points),
                "note": note,
            }
        )
    CriterionScore.objects.bulk_create(new_scores)
    CriterionScore.objects.bulk_update(changed_scores, [points_field, note_field])
    if changes:
        _log(evaluation, "scoring.score", user, field=points_field, changes=changes)


def _refresh_total(data: SheetData, which: str) -> engine.SheetResult:
    result = score(data, which)
    evaluation = data.evaluation
    field = "self_total" if which == "self" else "final_total"
    setattr(evaluation, field, result.total)
    Evaluation.objects.filter(pk=evaluation.pk).update(**{field: result.total})
    return result


@transaction.atomic
def save_self_scores(data: SheetData, user, entries, expected_version: int) -> engine.SheetResult:
    """The person saves their self-assessment; the sheet must be theirs to edit."""
    evaluation = data.evaluation
    refuse(self_scoring_refusal(evaluation))
    validate_entries(data, entries)
    claim_version(evaluation, expected_version)
    _write_scores(data, entries, user, "self_points", "self_reason")
    return _refresh_total(data, "self")


def _set_state(evaluation: Evaluation, state: str, user, **fields) -> None:
    old = evaluation.state
    evaluation.state = state
    for name, value in fields.items():
        setattr(evaluation, name, value)
    Evaluation.objects.filter(pk=evaluation.pk).update(state=state, **fields)
    _log(evaluation, f"scoring.{state}", user, old=old, new=state, **_plain(fields))


def _plain(fields: dict) -> dict:
    return {k: v if isinstance(v, str | int | type(None)) else str(v) for k, v in fields.items()}


@transaction.atomic
def submit(data: SheetData, user, expected_version: int) -> None:
    """The person submits: every hand-scored line must be filled in."""
    evaluation = data.evaluation
    ensure_open(evaluation)
    if not evaluation.is_editable_by_staff:
        raise ValidationError(_("This sheet was already submitted."))
    missing = [
        c.code
        for c in data.criteria
        if c.kind == engine.CriterionKind.MANUAL
        and (data.scores.get(c.pk) is None or data.scores[c.pk].self_points is None)
    ]
    if missing:
        raise ValidationError(
            _("Score every line before submitting; missing: %(lines)s.")
            % {"lines": ", ".join(missing)}
        )
    if without_plan := _task_lines_without_plan(data):
        raise ValidationError(
            _(
                "Your work plan is empty, so the task results (%(lines)s) cannot be computed. "
                "Register the month's work before submitting."
            )
            % {"lines": ", ".join(without_plan)}
        )
    claim_version(evaluation, expected_version)
    _set_state(evaluation, State.SUBMITTED, user, submitted_at=timezone.now())


@transaction.atomic
def return_sheet(data: SheetData, user, comment: str, expected_version: int) -> None:
    """The evaluator sends the sheet back for correction, with a comment."""
    evaluation = data.evaluation
    ensure_open(evaluation)
    if evaluation.state != State.SUBMITTED:
        raise ValidationError(_("Only a submitted sheet can be returned."))
    if not comment.strip():
        raise ValidationError(_("Say why the sheet is returned."))
    claim_version(evaluation, expected_version)
    _set_state(evaluation, State.RETURNED, user, return_comment=comment.strip())


@transaction.atomic
def approve(data: SheetData, user, entries, expected_version: int) -> engine.SheetResult:
    """The evaluator sets the final points and classifies the sheet.

    A final figure that differs from the self-assessed one needs a comment.
    """
    evaluation = data.evaluation
    refuse(evaluation_refusal(evaluation, has_plan=bool(data.items)))
    validate_entries(data, entries)
    _require_hand_scores(data, entries)
    _require_comments(data, entries)
    claim_version(evaluation, expected_version)
    _write_scores(data, entries, user, "final_points", "final_comment")
    result = _refresh_total(data, "final")
    _set_state(
        evaluation,
        State.APPROVED,
        user,
        level=result.level,
        decided_at=timezone.now(),
        decided_by_id=user.pk,
        explanation=explanation_json(result),
    )
    if evaluation.council_id:
        # A council decides as one body: the record names it, and who entered it.
        _log(evaluation, "scoring.approved", user, council=str(evaluation.council))
    return result


def _task_lines_without_plan(data: SheetData) -> list[str]:
    """Codes of task-result lines that no work plan can compute."""
    return [
        c.code
        for c in data.criteria
        if c.kind == engine.CriterionKind.TASK_RESULT and hand_scored(c, data)
    ]


def _require_hand_scores(data: SheetData, entries) -> None:
    """Without a work plan the evaluator scores the task results by hand, saying why."""
    for criterion in data.criteria:
        if criterion.is_entered or not hand_scored(criterion, data):
            continue
        raw, comment = entries.get(criterion.pk, (None, ""))
        if raw in (None, "") or not (comment or "").strip():
            raise ValidationError(
                _(
                    "%(code)s: there is no work plan to compute the task results from; "
                    "score them by hand and say why in the comment."
                )
                % {"code": criterion.code}
            )


def _require_comments(data: SheetData, entries) -> None:
    for criterion in data.criteria:
        if criterion.pk not in entries or not hand_scored(criterion, data):
            continue
        raw, comment = entries[criterion.pk]
        if raw in (None, ""):
            continue
        points = _clean_points(criterion, raw, comment or "x")
        score = data.scores.get(criterion.pk)
        self_points = score.self_points if score else None
        if points != self_points and not (comment or "").strip():
            raise ValidationError(
                _("%(code)s: a final score that differs from the self-assessment needs a comment.")
                % {"code": criterion.code}
            )


def frozen_result(data: SheetData, which: str = "final") -> engine.SheetResult:
    """A closed month's result exactly as it was frozen at close: never scored again.

    A rating that arrives after the close, or a catalogue weight changed since, moves
    nothing. The final side is the stored explanation; the self side is the stored
    self-assessed total with the same computed lines (the person typed only the others).
    """
    evaluation = data.evaluation
    frozen = evaluation.explanation or {}
    kinds = {criterion.code: criterion.kind for criterion in data.criteria}
    lines = [
        engine.LineResult(
            line["code"],
            engine.CriterionKind(kinds.get(line["code"], engine.CriterionKind.MANUAL)),
            Decimal(line["points"]),
            Decimal(line["max"]),
            line["explanation"],
            bool(line.get("skipped")),
        )
        for line in frozen.get("lines", [])
    ]
    if which == "final":
        total = evaluation.final_total or Decimal("0")
        return engine.SheetResult(
            lines, total, evaluation.level, frozen.get("level_explanation", ""), exact_total=total
        )
    total = evaluation.self_total or Decimal("0")
    classification = engine.classify(total, set_bands(evaluation.criteria_set))
    return engine.SheetResult(
        lines, total, classification.level, classification.explanation, exact_total=total
    )


def explanation_json(result: engine.SheetResult) -> dict:
    """The result as plain JSON, kept on the sheet when it is decided or frozen."""
    return {
        "total": str(result.total),
        "level": result.level,
        "level_explanation": str(result.level_explanation),
        "lines": [
            {
                "code": line.code,
                "points": str(line.points),
                "max": str(line.max_points),
                "explanation": str(line.explanation),
                "skipped": line.skipped,
            }
            for line in result.lines
        ],
    }


# --- The work plan ---------------------------------------------------------------------


def ensure_plan_editable(evaluation: Evaluation, today) -> None:
    refuse(plan_refusal(evaluation, today))


@transaction.atomic
def add_work_item(data: SheetData, user, item: WorkItem, expected_version: int) -> WorkItem:
    """Register one more item on the month's plan, until the plan deadline."""
    evaluation = data.evaluation
    ensure_plan_editable(evaluation, timezone.localdate())
    claim_version(evaluation, expected_version)
    item.evaluation = evaluation
    item.save()
    data.items.append(item)
    _log(evaluation, "scoring.plan", user, added=str(item), deadline=str(item.deadline))
    return item


@transaction.atomic
def remove_work_item(data: SheetData, user, item_id: int, expected_version: int) -> None:
    evaluation = data.evaluation
    ensure_plan_editable(evaluation, timezone.localdate())
    item = next((i for i in data.items if i.pk == item_id), None)
    if item is None:
        raise ValidationError(_("That work item is not on this sheet."))
    claim_version(evaluation, expected_version)
    item.delete()
    data.items.remove(item)
    _log(evaluation, "scoring.plan", user, removed=str(item))


RESULT_FIELDS = ("done", "delays", "major_errors", "objective_cause")


@transaction.atomic
def record_results(
    data: SheetData, user, results: dict[int, dict], expected_version: int, by_evaluator=False
) -> None:
    """Mark each item done or not, with its delays and major errors.

    The person marks their own results while the sheet is theirs; the evaluator may
    correct them while evaluating and alone decides whether an objective cause is accepted.
    """
    evaluation = data.evaluation
    refuse(evaluation_refusal(evaluation) if by_evaluator else edit_refusal(evaluation))
    claim_version(evaluation, expected_version)
    for item in data.items:
        values = results.get(item.pk)
        if not values:
            continue
        if not by_evaluator:
            values = {k: v for k, v in values.items() if k != "objective_cause"}
        old = {field: getattr(item, field) for field in values}
        if old == values:
            continue
        for field, value in values.items():
            setattr(item, field, value)
        item.save()
        _log(evaluation, "scoring.plan", user, item=str(item), old=_plain(old), new=_plain(values))


@transaction.atomic
def approve_plan(data: SheetData, user, expected_version: int) -> None:
    """The evaluator approves the registered work plan."""
    evaluation = data.evaluation
    ensure_open(evaluation)
    claim_version(evaluation, expected_version)
    evaluation.plan_approved_at = timezone.now()
    Evaluation.objects.filter(pk=evaluation.pk).update(plan_approved_at=evaluation.plan_approved_at)
    _log(evaluation, "scoring.plan", user, approved=True)


# --- Revising an evaluated sheet (a contest's decision) --------------------------------


def revision_refusal(evaluation: Evaluation) -> str | None:
    """Why the final points of the sheet may not be revised now (None: they may).

    Who may revise is the caller's rule (:mod:`scoring.contests`); this is the sheet's.
    """
    if refusal := closed_refusal(evaluation.period):
        return refusal
    if evaluation.state != State.APPROVED:
        return _("Only an evaluated sheet can be revised.")
    return None


def final_changes(data: SheetData, entries) -> list[str]:
    """Codes of the lines whose final points ``entries`` would change (validated first)."""
    validate_entries(data, entries)
    changed = []
    for criterion in data.criteria:
        if not hand_scored(criterion, data) or criterion.pk not in entries:
            continue
        raw, note = entries[criterion.pk]
        points = _clean_points(criterion, raw, note or "")
        score = data.scores.get(criterion.pk)
        if criterion.is_entered:
            current = line_points(score, "final")
        else:  # a computed line scored by hand has no self-assessed fallback
            current = score.final_points if score is not None else None
        if points != current:
            changed.append(criterion.code)
    return changed


@transaction.atomic
def revise_final(
    data: SheetData, user, entries, reason: str, expected_version: int
) -> engine.SheetResult:
    """Change the final points of an evaluated sheet, for ``reason`` (a contest decided).

    The new total and level come from :func:`score`, as at approval; the sheet stays
    evaluated, with its evaluation date (the contest window does not move). One audit
    entry lists the changed lines, another the old and new total and level with the reason.
    """
    evaluation = data.evaluation
    refuse(revision_refusal(evaluation))
    if not reason.strip():
        raise ValidationError(_("Say why the final score changes."))
    validate_entries(data, entries)
    _require_comments(data, entries)
    claim_version(evaluation, expected_version)
    old_total, old_level = evaluation.final_total, evaluation.level
    _write_scores(data, entries, user, "final_points", "final_comment")
    result = _refresh_total(data, "final")
    evaluation.level = result.level
    evaluation.explanation = explanation_json(result)
    Evaluation.objects.filter(pk=evaluation.pk).update(
        level=evaluation.level, explanation=evaluation.explanation
    )
    _log(
        evaluation,
        "scoring.revised",
        user,
        old_total=None if old_total is None else str(old_total),
        old_level=old_level,
        new_total=str(result.total),
        new_level=result.level,
        reason=reason.strip(),
    )
    return result
