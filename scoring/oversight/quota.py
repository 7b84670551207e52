"""The quota check of one unit and month, and the head's decision when it is broken.

:func:`quota_check` groups the month's sheets of a unit as its :class:`QuotaRule` says,
and asks :func:`scoring.engine.quota.check_group` about each group, in a fixed number of
queries whatever the number of people. :func:`record_decision` writes what the head
decided; the decision is the unit's proposal and changes no sheet (a sheet's level
always follows its total and bands; a closed month is frozen).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from scoring.calendar.models import Period
from scoring.cycle import closing
from scoring.cycle.models import Evaluation
from scoring.engine import Level
from scoring.engine.quota import GroupQuota, QuotaCap, QuotaPerson, check_group
from scoring.organisation.models import Staff, Unit

from .models import DutyGroup, QuotaDecision, QuotaDecisionLine, QuotaRule

Grouping = QuotaRule.Grouping


@dataclass
class PersonRow:
    """One sheet of the group as the quota page lists it."""

    evaluation_id: int
    staff_name: str
    staff_code: str
    position: str
    total: Decimal | None
    level: int | None
    sheet_url: str
    proposed_level: int | None = None  # after the head's decision in force, when any


@dataclass
class GroupRow:
    """The quota of one group: counts per level, the cap, the margin and the decision.

    ``counts`` has levels 1–4 of the sheets with a level; ``pending`` counts the sheets
    not evaluated yet and ``excused`` those absent for good cause (neither is counted).
    ``ranked`` are those at level 1, lowest total first; ``margin`` the ones who would
    move to level 2 to keep the cap by totals alone. ``decision`` is the head's decision
    in force; ``decision_current`` says whether it still names exactly today's level-1
    people; ``proposed_counts`` are the counts once it applies.
    """

    key: str
    label: str
    check: GroupQuota
    ranked: list[PersonRow]
    margin: list[PersonRow]
    pending: int = 0
    excused: int = 0
    decision: QuotaDecision | None = None
    decision_current: bool = False
    proposed_counts: dict[int, int] = field(default_factory=dict)

    @property
    def counts(self) -> dict[int, int]:
        return self.check.counts

    @property
    def cap(self) -> int | None:
        return self.check.cap

    @property
    def broken(self) -> bool:
        return self.check.broken

    @property
    def excess(self) -> int:
        return self.check.excess

    @property
    def proposal_keeps_cap(self) -> bool:
        if self.cap is None or not self.decision_current:
            return False
        return self.proposed_counts.get(Level.EXCELLENT, 0) <= self.cap


@dataclass
class QuotaCheck:
    """A unit's month under its quota rule (``rule`` None: no rule applies)."""

    unit: Unit
    period: Period
    rule: QuotaRule | None
    cap: QuotaCap
    exceptional: bool
    groups: list[GroupRow]

    @property
    def broken(self) -> bool:
        return any(group.broken for group in self.groups)


# --- Which rule, which groups -----------------------------------------------------------


def rules_in_force(period: Period) -> list[QuotaRule]:
    """Every quota rule in force in ``period``, the winner first, with its kinds of unit,
    exceptional units and duty groups (five queries)."""
    return list(
        QuotaRule.objects.filter(valid_from__lte=period.first_day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.first_day))
        .order_by("priority", "-valid_from", "pk")
        .prefetch_related(
            "unit_kinds",
            "exceptional_units",
            Prefetch("duty_groups", queryset=DutyGroup.objects.prefetch_related("positions")),
        )
    )


def rule_for(unit: Unit, rules: list[QuotaRule]) -> QuotaRule | None:
    """The first of ``rules`` that applies to units of ``unit``'s kind."""
    for rule in rules:
        kinds = {kind.pk for kind in rule.unit_kinds.all()}
        if not kinds or unit.kind_id in kinds:
            return rule
    return None


def is_exceptional(rule: QuotaRule | None, unit: Unit) -> bool:
    return rule is not None and any(u.pk == unit.pk for u in rule.exceptional_units.all())


def group_of(rule: QuotaRule | None, evaluation: Evaluation, duty: dict[int, DutyGroup]):
    """The (key, label) of the group ``evaluation`` is counted in under ``rule``."""
    grouping = rule.grouping if rule else Grouping.UNIT
    if grouping == Grouping.POSITION:
        return f"position:{evaluation.position_id}", evaluation.position.name
    if grouping == Grouping.CATEGORY:
        category = evaluation.staff.category
        return f"category:{category}", str(Staff.Category(category).label)
    if grouping == Grouping.DUTY_GROUP:
        group = duty.get(evaluation.position_id)
        if group is None:
            return "duty:other", _("Other duties")
        return f"duty:{group.pk}", group.name
    return "unit", _("Everyone in the unit")


def duty_groups_by_position(rule: QuotaRule | None) -> dict[int, DutyGroup]:
    """Each listed position's duty group (the first group that lists it)."""
    groups: dict[int, DutyGroup] = {}
    if rule is None or rule.grouping != Grouping.DUTY_GROUP:
        return groups
    for group in rule.duty_groups.all():
        for position in group.positions.all():
            groups.setdefault(position.pk, group)
    return groups


def month_sheets(unit_ids: list[int], period: Period) -> list[Evaluation]:
    """The units' sheets of the month with their person and position (one query)."""
    return list(
        Evaluation.objects.filter(unit_id__in=unit_ids, period=period)
        .select_related("staff", "position")
        .only(
            "pk",
            "unit_id",
            "state",
            "final_total",
            "level",
            "position_id",
            "position__name",
            "staff__full_name",
            "staff__code",
            "staff__category",
        )
        .order_by("staff__full_name", "pk")
    )


def person_row(evaluation: Evaluation) -> PersonRow:
    return PersonRow(
        evaluation.pk,
        evaluation.staff.full_name,
        evaluation.staff.code,
        evaluation.position.name,
        evaluation.final_total,
        evaluation.level,
        reverse("scoring_review", args=[evaluation.pk]),
    )


def decisions_in_force(unit_ids: list[int], period: Period) -> dict[tuple, QuotaDecision]:
    """The latest decision of each (unit, group) of the month, with its lines (two queries)."""
    latest: dict[tuple, QuotaDecision] = {}
    decisions = (
        QuotaDecision.objects.filter(unit_id__in=unit_ids, period=period)
        .select_related("decided_by")
        .prefetch_related("lines")
        .order_by("-decided_at", "-pk")
    )
    for decision in decisions:
        latest.setdefault((decision.unit_id, decision.group_key), decision)
    return latest


# --- The check ------------------------------------------------------------------------


def quota_checks(units: list[Unit], period: Period) -> list[QuotaCheck]:
    """The quota of each group of each of ``units`` in ``period``, in eight queries
    whatever the number of units and people.

    Only sheets with a level count (an open month's sheets get theirs when evaluated);
    sheets absent for good cause are left out. Groups come in the order of their labels.
    """
    rules = rules_in_force(period)
    unit_ids = [unit.pk for unit in units]
    sheets_of: dict[int, list[Evaluation]] = defaultdict(list)
    for evaluation in month_sheets(unit_ids, period):
        sheets_of[evaluation.unit_id].append(evaluation)
    decisions = decisions_in_force(unit_ids, period)
    return [unit_check(unit, period, rules, sheets_of[unit.pk], decisions) for unit in units]


def quota_check(unit: Unit, period: Period) -> QuotaCheck:
    """The quota of each group of ``unit`` in ``period`` (see :func:`quota_checks`)."""
    return quota_checks([unit], period)[0]


def unit_check(
    unit: Unit, period: Period, rules, sheets: list[Evaluation], decisions
) -> QuotaCheck:
    rule = rule_for(unit, rules)
    exceptional = is_exceptional(rule, unit)
    cap = rule.cap(exceptional) if rule else QuotaCap()
    duty = duty_groups_by_position(rule)
    buckets: dict[str, list[Evaluation]] = defaultdict(list)
    labels: dict[str, str] = {}
    for evaluation in sheets:
        key, label = group_of(rule, evaluation, duty)
        buckets[key].append(evaluation)
        labels[key] = label
    groups = [
        group_row(key, labels[key], members, cap, decisions.get((unit.pk, key)))
        for key, members in buckets.items()
    ]
    groups.sort(key=lambda group: (group.label, group.key))
    return QuotaCheck(unit, period, rule, cap, exceptional, groups)


def units_with_sheets(period: Period, unit_paths: tuple[str, ...] | None) -> list[Unit]:
    """The units with sheets in ``period`` under ``unit_paths`` (None: all), in tree order."""
    return closing.month_units(period, unit_paths)


def group_row(key: str, label: str, sheets: list[Evaluation], cap: QuotaCap, decision) -> GroupRow:
    scored = [e for e in sheets if e.level is not None and e.state != Evaluation.State.EXCUSED]
    people = [QuotaPerson(e.pk, e.final_total or Decimal(0), e.level) for e in scored]
    checked = check_group(people, cap)
    rows = {e.pk: person_row(e) for e in scored}
    group = GroupRow(
        key,
        label,
        checked,
        ranked=[rows[person.key] for person in checked.ranked],
        margin=[rows[person.key] for person in checked.margin],
        pending=sum(1 for e in sheets if e.level is None and e.state != Evaluation.State.EXCUSED),
        excused=sum(1 for e in sheets if e.state == Evaluation.State.EXCUSED),
    )
    apply_decision(group, decision)
    return group


def apply_decision(group: GroupRow, decision: QuotaDecision | None) -> None:
    """Attach the decision in force and the counts it proposes."""
    group.proposed_counts = dict(group.counts)
    if decision is None:
        return
    group.decision = decision
    keeps = {line.evaluation_id: line.keeps_excellent for line in decision.lines.all()}
    group.decision_current = set(keeps) == {row.evaluation_id for row in group.ranked}
    moved = 0
    for row in group.ranked:
        if row.evaluation_id in keeps:
            row.proposed_level = Level.EXCELLENT if keeps[row.evaluation_id] else Level.GOOD
            moved += 0 if keeps[row.evaluation_id] else 1
    group.proposed_counts[Level.EXCELLENT] -= moved
    group.proposed_counts[Level.GOOD] += moved


# --- The head's decision ------------------------------------------------------------------


def decision_refusal(group: GroupRow | None, keep_ids: set[int], reason: str) -> str | None:
    """Why this decision cannot be recorded (None: it can)."""
    if group is None or not group.broken:
        return _("The quota of this group is kept: there is nothing to decide.")
    ranked = {row.evaluation_id for row in group.ranked}
    if not keep_ids <= ranked:
        return _("Only people proposed at level 1 in this group can keep it.")
    if group.cap is not None and len(keep_ids) > group.cap:
        return _("At most %(cap)d people of this group can keep level 1.") % {"cap": group.cap}
    if not reason.strip():
        return _("Say why these people keep level 1 and the others move to level 2.")
    return None


@transaction.atomic
def record_decision(
    unit: Unit, period: Period, group_key: str, keep_ids: set[int], reason: str, user
) -> QuotaDecision:
    """Record who of a broken group keeps level 1 and who is proposed at level 2.

    Everyone at level 1 in the group is named: those in ``keep_ids`` keep it, the others
    move to level 2 in the unit's proposal. The decision goes to the audit log.
    """
    check = quota_check(unit, period)
    group = next((g for g in check.groups if g.key == group_key), None)
    if refusal := decision_refusal(group, keep_ids, reason):
        raise ValidationError(refusal)
    decision = QuotaDecision.objects.create(
        period=period,
        unit=unit,
        group_key=group.key,
        group_label=group.label,
        cap=group.cap or 0,
        reason=reason.strip(),
        decided_by=user,
    )
    QuotaDecisionLine.objects.bulk_create(
        QuotaDecisionLine(
            decision=decision,
            evaluation_id=row.evaluation_id,
            keeps_excellent=row.evaluation_id in keep_ids,
            total=row.total or Decimal(0),
        )
        for row in group.ranked
    )
    log(
        instance=decision,
        action="scoring.quota_decision",
        user=user,
        data={
            "group": group.label,
            "cap": group.cap,
            "keeps": [r.staff_code for r in group.ranked if r.evaluation_id in keep_ids],
            "moves": [r.staff_code for r in group.ranked if r.evaluation_id not in keep_ids],
            "reason": decision.reason,
        },
    )
    return decision
