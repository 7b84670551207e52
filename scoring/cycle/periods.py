"""Month operations: open a month for everyone, move it forward, close and freeze it.

Each runs in a fixed number of queries (bulk reads and bulk writes), so a province's
month opens and closes in seconds; each is idempotent and can be retried safely. The
admin actions and the management commands (for cron) both call these functions.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from scoring import engine
from scoring.calendar.models import Period
from scoring.criteria.models import CriteriaSet, criteria_sets_in_force
from scoring.lib.months import current_month, month_bounds, next_month, validate_plausible_date
from scoring.organisation.models import Position, Staff
from scoring.organisation.routing import resolve_routes, subject_posts
from scoring.ratings import tally
from scoring.ratings.models import ServiceDesk

from . import closing, sheets
from .absences import absent_staff, apply_absences
from .models import CriterionScore, Evaluation, WorkItem

STATE_ORDER = [
    Period.State.OPEN,
    Period.State.SELF_SCORING,
    Period.State.EVALUATION,
    Period.State.CLOSED,
]


def default_deadlines(year: int, month: int) -> dict[str, datetime.date]:
    """Deadlines from settings: plan by day N of the month, the others in the next month."""
    following_year, following = next_month(year, month)
    last = month_bounds(year, month)[1].day
    return {
        "plan_deadline": datetime.date(year, month, min(settings.PLAN_DEADLINE_DAY, last)),
        "self_deadline": datetime.date(following_year, following, settings.SELF_DEADLINE_DAY),
        "evaluation_deadline": datetime.date(
            following_year, following, settings.EVALUATION_DEADLINE_DAY
        ),
    }


def next_state(period: Period) -> str | None:
    """The state "move forward" leads to; None when only closing is left."""
    index = STATE_ORDER.index(period.state)
    following = STATE_ORDER[index + 1 : index + 2]
    return following[0] if following and following[0] != Period.State.CLOSED else None


def month_to_open() -> tuple[int, int]:
    """The month after the newest period, or this month when there is none."""
    latest = Period.objects.order_by("-year", "-month").first()
    if latest is None:
        return current_month()
    return next_month(latest.year, latest.month)


@dataclass
class OpenResult:
    period: Period
    created: int
    existing: int
    without_set: list[int]
    without_evaluator: list[int]


def choose_set(
    sets: list[CriteriaSet],
    category: str,
    position_id: int,
    is_head: bool,
    at_desk: bool = False,
) -> CriteriaSet | None:
    """The first set (by priority) that applies to a person of that category and post.

    One-stop desk officers get a set made for them first; nobody else ever gets one.
    """
    fitting = [
        s
        for s in sets
        if s.applies_to(category, position_id, is_head) and (at_desk or not s.for_desk_officers)
    ]
    fitting.sort(key=lambda s: not s.for_desk_officers)  # stable: desk sets first
    return fitting[0] if fitting else None


def desk_officer_ids() -> set[int]:
    """People serving at an active one-stop desk."""
    through = ServiceDesk.officers.through
    return set(through.objects.filter(servicedesk__active=True).values_list("staff_id", flat=True))


@transaction.atomic
def open_period(year: int, month: int, user=None, **deadlines) -> OpenResult:
    """Open a month: one sheet per active person, with their set and their evaluator.

    Safe to run again: people who already have a sheet keep it; people who joined since
    get one. The evaluator is resolved now and stored on the sheet.
    """
    values = {**default_deadlines(year, month), **deadlines}
    for day in values.values():  # a month typed as 2150 has its deadlines there too
        validate_plausible_date(day)
    period, _created = Period.objects.get_or_create(year=year, month=month, defaults=values)
    if period.is_closed:
        raise ValidationError(_("The month is closed: no sheet can be added."))
    first, last = month_bounds(year, month)
    posts = subject_posts(first, last, None)
    routes = resolve_routes(year, month)
    sets = criteria_sets_in_force(first)
    heads = set(Position.objects.filter(is_head=True).values_list("pk", flat=True))
    categories = dict(Staff.objects.filter(pk__in=list(posts)).values_list("pk", "category"))
    existing = set(period.evaluations.values_list("staff_id", flat=True))
    at_desk = desk_officer_ids()
    absent = absent_staff(year, month)
    new, without_set = [], []
    for staff_id, post in posts.items():
        if staff_id in existing:
            continue
        chosen = choose_set(
            sets,
            categories[staff_id],
            post.position_id,
            post.position_id in heads,
            staff_id in at_desk,
        )
        if chosen is None:
            without_set.append(staff_id)
            continue
        route = routes[staff_id]
        new.append(
            Evaluation(
                period=period,
                staff_id=staff_id,
                criteria_set=chosen,
                unit_id=post.unit_id,
                position_id=post.position_id,
                evaluator_id=route.evaluator_id,
                council_id=route.council_id,
                route_rule_id=route.rule_id,
                route_override_id=route.override_id,
                state=Evaluation.State.EXCUSED if staff_id in absent else Evaluation.State.DRAFT,
            )
        )
    Evaluation.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    refresh_evaluators(period, routes, user)
    apply_absences(period, user)
    without_evaluator = [r.staff_id for r in routes.values() if not r.resolved]
    log(instance=period, action="scoring.open_period", user=user, data={"created": len(new)})
    return OpenResult(period, len(new), len(existing), without_set, without_evaluator)


ROUTE_FIELDS = ("evaluator_id", "council_id", "route_rule_id", "route_override_id")


def refresh_evaluators(period: Period, routes: dict, user=None) -> int:
    """Re-route sheets not yet evaluated when rules or overrides changed since opening.

    Each change of evaluator is written to the audit log with the old and new one.
    """
    pending = Evaluation.objects.filter(period=period).exclude(state=Evaluation.State.APPROVED)
    changed = []
    for evaluation in pending.only("pk", "staff_id", "state", *ROUTE_FIELDS):
        route = routes.get(evaluation.staff_id)
        if route is None:
            continue
        new = (route.evaluator_id, route.council_id, route.rule_id, route.override_id)
        old = tuple(getattr(evaluation, name) for name in ROUTE_FIELDS)
        if new[:2] == old[:2]:
            continue
        for name, value in zip(ROUTE_FIELDS, new, strict=True):
            setattr(evaluation, name, value)
        changed.append(evaluation)
        log(
            instance=evaluation,
            action="scoring.evaluator",
            user=user,
            data={"old": [old[0], old[1]], "new": [new[0], new[1]]},
        )
    Evaluation.objects.bulk_update(changed, list(ROUTE_FIELDS), batch_size=1000)
    return len(changed)


@transaction.atomic
def advance_period(period: Period, state: str, user=None, exception: str = "") -> Period:
    """Move a month forward to ``state`` (never backwards; closing is the lock)."""
    if state == Period.State.CLOSED:
        return close_period(period, user=user, exception=exception)
    if STATE_ORDER.index(state) <= STATE_ORDER.index(period.state):
        raise ValidationError(
            _("A month moves forward only: it is already “%(state)s”.")
            % {"state": period.get_state_display()}
        )
    old = period.state
    period.state = state
    period.save(update_fields=["state"])
    log(instance=period, action="scoring.period_state", user=user, data={"old": old, "new": state})
    bring_up_to_date(period, user)
    return period


def bring_up_to_date(period: Period, user=None) -> None:
    """Follow what changed since the month opened: routes (a rule, an override whose
    evaluator left their post) and absences. Each change is in the audit log."""
    refresh_evaluators(period, resolve_routes(period.year, period.month), user)
    apply_absences(period, user)


def _month_sheets(period: Period) -> list[sheets.SheetData]:
    """Every sheet of the month with its lines, scores and work, in a few queries."""
    evaluations = list(
        Evaluation.objects.filter(period=period)
        .select_related("period")
        .prefetch_related(
            sheets.criteria_prefetch(),
            Prefetch("scores", queryset=CriterionScore.objects.all()),
            Prefetch("work_items", queryset=WorkItem.objects.select_related("product")),
        )
    )
    satisfaction = tally.satisfaction_inputs(
        [e.staff_id for e in evaluations], period.year, period.month
    )
    return [
        sheets.SheetData(
            evaluation,
            sheets.set_criteria(evaluation.criteria_set),
            {score.criterion_id: score for score in evaluation.scores.all()},
            list(evaluation.work_items.all()),
            satisfaction=satisfaction.get(evaluation.staff_id),
        )
        for evaluation in evaluations
    ]


def _final_levels(month: list[sheets.SheetData]) -> dict[int, engine.SheetResult]:
    """Score every sheet; leaders' unit-result lines follow their people's levels.

    Everyone is scored once; then only the sheets with a unit-result line are scored
    again until no level changes, since leaders scored by leaders depend on each other
    (a locality's chain of command is a few levels deep; the loop is bounded by its
    number of leaders, so it always ends).
    """
    managed: dict[int, list[int]] = defaultdict(list)
    for data in month:
        if data.evaluation.evaluator_id:
            managed[data.evaluation.evaluator_id].append(data.evaluation.staff_id)
    leaders = [d for d in month if any(c.kind == "unit_result" for c in d.criteria)]
    levels: dict[int, int] = {}
    results: dict[int, engine.SheetResult] = {}

    def score(data: sheets.SheetData) -> bool:
        staff_id = data.evaluation.staff_id
        data.managed_levels = [levels[s] for s in managed.get(staff_id, []) if s in levels]
        result = results[data.evaluation.pk] = sheets.score(data, "final")
        changed = levels.get(staff_id) != result.level
        levels[staff_id] = result.level
        return changed

    for data in month:
        score(data)
    for _pass in range(len(leaders) + 1):
        if not any([score(data) for data in leaders]):
            break
    return results


def _save_results(evaluations: list[Evaluation]) -> None:
    """Write the frozen totals, levels and explanations of a whole month at once.

    On PostgreSQL one ``UPDATE … FROM (VALUES …)`` per batch is several times faster
    than Django's ``bulk_update`` (a CASE per row and field); elsewhere, bulk_update.
    """
    fields = ["final_total", "level", "explanation"]
    if connection.vendor != "postgresql":
        Evaluation.objects.bulk_update(evaluations, fields, batch_size=500)
        return
    from psycopg2.extras import Json, execute_values

    table = Evaluation._meta.db_table
    rows = [(e.pk, e.final_total, e.level, Json(e.explanation)) for e in evaluations]
    with connection.cursor() as cursor:
        execute_values(
            cursor.cursor,
            f"UPDATE {table} AS e SET final_total = v.total::numeric, level = v.level::smallint, "
            "explanation = v.explanation::jsonb "
            "FROM (VALUES %s) AS v(id, total, level, explanation) WHERE e.id = v.id",
            rows,
            page_size=2000,
        )


def freeze_results(period: Period, user=None, progress=None) -> int:
    """Compute every sheet of the month and write its final total, level and explanation
    (the lock's work; the demo also uses it for a month it plays through). Returns how
    many sheets were written; ``progress(done, total)`` follows the writing."""
    report = progress or (lambda done, total: None)
    bring_up_to_date(period, user)
    month = _month_sheets(period)
    total = len(month)
    report(0, total)
    scored = [data for data in month if not data.evaluation.is_excused]
    results = _final_levels(scored)
    changed = []
    for data in month:
        evaluation = data.evaluation
        if evaluation.is_excused:
            # Absent for good cause: frozen as absent, with no total and no level.
            evaluation.final_total, evaluation.level = None, None
            evaluation.explanation = {"absent": True}
        else:
            result = results[evaluation.pk]
            evaluation.final_total = result.total
            evaluation.level = result.level
            evaluation.explanation = sheets.explanation_json(result)
        changed.append(evaluation)
    for start in range(0, total, SAVE_BATCH):
        _save_results(changed[start : start + SAVE_BATCH])
        report(min(start + SAVE_BATCH, total), total)
    return total


@transaction.atomic
def close_period(period: Period, user=None, exception: str = "", progress=None) -> Period:
    """Lock the month: compute and freeze every sheet, then close it.

    Refused while a unit with sheets has not submitted its report, unless
    ``exception`` says why the month is locked without it; the lock records who, when,
    and those units (:mod:`scoring.cycle.closing`). ``progress(done, total)`` is told
    how many sheets are frozen. Locking a locked month changes nothing.
    """
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.is_closed:
        return period
    if refusal := closing.lock_refusal(period, exception):
        raise ValidationError(refusal)
    count = freeze_results(period, user, progress)
    lock, without = closing.record_lock(period, user, exception)
    period.state = Period.State.CLOSED
    period.closed_at = lock.locked_at
    period.save(update_fields=["state", "closed_at"])
    log(
        instance=period,
        action="scoring.close_period",
        user=user,
        data={
            "sheets": count,
            "without": [unit.code for unit in without],
            "exception": lock.exception,
        },
    )
    return period


SAVE_BATCH = 5000
