"""Who evaluates whom in a month: evaluator routes resolved from data.

:func:`resolve_routes` answers for many people at once with a fixed number of queries
(whatever the number of people), so a month can be opened for a whole province and
the admin can show each person's evaluator on a listing page. :func:`evaluator_of`
answers for one person.

Order of precedence: a hand-set :class:`EvaluatorOverride` in force that month wins;
otherwise the matching :class:`EvaluationRule` with the lowest priority, then the most
specific. A rule that would make a person their own evaluator is passed over for the
next matching rule; a rule whose evaluator post is vacant is reported, never skipped.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scoring.lib.months import month_bounds

from .models import Assignment, Council, EvaluationRule, EvaluatorOverride, Position, Staff, Unit


class Problem:
    """Why a route resolves to nobody; the values are stable codes."""

    NO_POST = "no_post"
    NO_RULE = "no_rule"
    NO_UNIT = "no_unit"
    VACANT = "vacant"
    SELF = "self"

    LABELS = {
        NO_POST: _("holds no post this month"),
        NO_RULE: _("no rule matches this post"),
        NO_UNIT: _("the rule's evaluator unit does not exist this month"),
        VACANT: _("the evaluator's post is vacant"),
        SELF: _("every matching rule points to the person themselves"),
    }
    LOST_OVERRIDE_FALLBACK = _(
        "the override's evaluator no longer holds the post that made them eligible: the rules apply"
    )
    LOST_OVERRIDE = _(
        "the override's evaluator no longer holds the post that made them eligible, "
        "and no rule names anyone else"
    )


@dataclass(frozen=True)
class Route:
    """The outcome of resolving one person's evaluator for one month."""

    staff_id: int
    evaluator_id: int | None = None
    council_id: int | None = None
    rule_id: int | None = None
    override_id: int | None = None
    unit_id: int | None = None
    problem: str | None = None

    @property
    def resolved(self) -> bool:
        """Someone evaluates the person this month (a person or a council)."""
        return self.evaluator_id is not None or self.council_id is not None

    @property
    def flagged(self) -> bool:
        """The route report lists it: nobody evaluates, or an override no longer holds."""
        return self.problem is not None

    @property
    def lost_override(self) -> bool:
        """An override whose evaluator no longer holds the post that made them eligible."""
        return self.problem == Problem.VACANT and self.override_id is not None

    @property
    def problem_label(self) -> str:
        if self.lost_override:
            if self.resolved:
                return str(Problem.LOST_OVERRIDE_FALLBACK)
            return str(Problem.LOST_OVERRIDE)
        return str(Problem.LABELS[self.problem]) if self.problem else ""


def _in_force(start: str, end: str, first: datetime.date, last: datetime.date) -> Q:
    """Rows whose ``start``..``end`` dates overlap the month ``first``..``last``."""
    return Q(**{f"{start}__lte": last}) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": first})
    )


@dataclass
class _Post:
    staff_id: int
    unit_id: int
    position_id: int
    start_date: datetime.date
    rank: int = 100
    end_date: datetime.date | None = None


@dataclass
class _RuleData:
    rule: EvaluationRule
    kinds: frozenset[int]
    positions: frozenset[int]

    @property
    def specificity(self) -> int:
        rule = self.rule
        return (
            bool(self.kinds)
            + bool(self.positions)
            + bool(rule.subject_within_kind_id)
            + rule.subject_heads_only
        )


@dataclass
class _Snapshot:
    """Everything resolution needs for one month, read in a fixed number of queries."""

    first: datetime.date
    last: datetime.date
    units: dict[int, Unit] = field(default_factory=dict)
    by_path: dict[str, Unit] = field(default_factory=dict)
    children: dict[tuple[str, int], list[Unit]] = field(default_factory=dict)
    heads: dict[int, list[_Post]] = field(default_factory=dict)
    holders: dict[tuple[int, int], list[_Post]] = field(default_factory=dict)
    head_positions: set[int] = field(default_factory=set)
    councils: dict[int, Council] = field(default_factory=dict)
    rules: list[_RuleData] = field(default_factory=list)
    overrides: dict[int, EvaluatorOverride] = field(default_factory=dict)
    active_override_evaluators: set[int] = field(default_factory=set)

    def unit_valid(self, unit: Unit) -> bool:
        return unit.valid_from <= self.last and (
            unit.valid_to is None or unit.valid_to >= self.first
        )

    def ancestors_or_self(self, unit: Unit) -> list[Unit]:
        """The unit then its ancestors, nearest first."""
        step = Unit.steplen
        paths = [unit.path[: step * depth] for depth in range(unit.depth, 0, -1)]
        return [self.by_path[path] for path in paths if path in self.by_path]


def _load_snapshot(first: datetime.date, last: datetime.date) -> _Snapshot:
    snap = _Snapshot(first=first, last=last)
    for unit in Unit.objects.only(
        "id", "path", "depth", "kind_id", "valid_from", "valid_to", "code", "name"
    ):
        snap.units[unit.pk] = unit
        snap.by_path[unit.path] = unit
        if unit.depth > 1 and snap.unit_valid(unit):
            key = (unit.path[: -Unit.steplen], unit.kind_id)
            snap.children.setdefault(key, []).append(unit)
    snap.head_positions = set(Position.objects.filter(is_head=True).values_list("id", flat=True))
    _load_rules(snap)
    _load_holders(snap)
    for council in Council.objects.prefetch_related("members").order_by("name"):
        snap.councils.setdefault(council.unit_id, council)
    for override in EvaluatorOverride.objects.filter(
        _in_force("valid_from", "valid_to", first, last)
    ).order_by("valid_from"):
        snap.overrides[override.staff_id] = override
    snap.active_override_evaluators = _holding_overrides(snap.overrides.values(), first, last)
    return snap


def _holding_overrides(overrides, first: datetime.date, last: datetime.date) -> set[int]:
    """Evaluators of ``overrides`` who still hold, at the month's end, the post that made
    them eligible (and are still in service): from the day they leave it or the service,
    the override no longer holds and the month falls back to the rules."""
    overrides = [o for o in overrides if o.evaluator_id]
    post_ends = dict(
        Assignment.objects.filter(
            pk__in={o.evaluator_post_id for o in overrides if o.evaluator_post_id}
        ).values_list("pk", "end_date")
    )
    in_service = set(
        Staff.objects.filter(pk__in={o.evaluator_id for o in overrides})
        .filter(start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=last))
        .values_list("pk", flat=True)
    )
    holding = set()
    for override in overrides:
        post_end = post_ends.get(override.evaluator_post_id)
        if override.evaluator_id in in_service and (post_end is None or post_end >= last):
            holding.add(override.evaluator_id)
    return holding


def _load_rules(snap: _Snapshot) -> None:
    rules = EvaluationRule.objects.filter(
        _in_force("valid_from", "valid_to", snap.first, snap.last)
    ).prefetch_related("subject_kinds", "subject_positions")
    data = [
        _RuleData(
            rule=rule,
            kinds=frozenset(kind.pk for kind in rule.subject_kinds.all()),
            positions=frozenset(position.pk for position in rule.subject_positions.all()),
        )
        for rule in rules
    ]
    snap.rules = sorted(data, key=lambda d: (d.rule.priority, -d.specificity, d.rule.pk))


def _load_holders(snap: _Snapshot) -> None:
    """Index who holds each head post and each post that a rule names as evaluator."""
    evaluator_positions = {
        d.rule.evaluator_position_id for d in snap.rules if d.rule.evaluator_position_id
    }
    rows = (
        Assignment.objects.filter(_in_force("start_date", "end_date", snap.first, snap.last))
        .filter(_in_force("staff__start_date", "staff__end_date", snap.first, snap.last))
        .filter(Q(position__is_head=True) | Q(position_id__in=evaluator_positions))
        .values_list(
            "staff_id", "unit_id", "position_id", "start_date", "position__rank", "end_date"
        )
    )
    for staff_id, unit_id, position_id, start, rank, end in rows:
        post = _Post(staff_id, unit_id, position_id, start, rank, end)
        snap.holders.setdefault((unit_id, position_id), []).append(post)
        if position_id in snap.head_positions:
            snap.heads.setdefault(unit_id, []).append(post)

    # Several holders of one post in a month: the one still in post at month end, then the
    # longest-serving (after a merger the incumbent keeps the post until someone decides).
    def precedence(post: _Post) -> tuple:
        left_early = post.end_date is not None and post.end_date < snap.last
        return (post.rank, left_early, post.start_date, post.staff_id)

    for posts in [*snap.holders.values(), *snap.heads.values()]:
        posts.sort(key=precedence)


def subject_posts(
    first: datetime.date, last: datetime.date, staff_ids: Iterable[int] | None
) -> dict[int, _Post]:
    """Each active person's main post in the month (the latest one when it changed)."""
    rows = (
        Assignment.objects.filter(_in_force("start_date", "end_date", first, last))
        .filter(_in_force("staff__start_date", "staff__end_date", first, last))
        .order_by("staff_id", "start_date")
    )
    if staff_ids is not None:
        rows = rows.filter(staff_id__in=list(staff_ids))
    posts: dict[int, _Post] = {}
    for staff_id, unit_id, position_id, start in rows.values_list(
        "staff_id", "unit_id", "position_id", "start_date"
    ):
        posts[staff_id] = _Post(staff_id, unit_id, position_id, start)
    return posts


def _matches(snap: _Snapshot, data: _RuleData, post: _Post, unit: Unit) -> bool:
    rule = data.rule
    if data.kinds and unit.kind_id not in data.kinds:
        return False
    if data.positions and post.position_id not in data.positions:
        return False
    if rule.subject_heads_only and post.position_id not in snap.head_positions:
        return False
    if rule.subject_within_kind_id:
        kinds = {u.kind_id for u in snap.ancestors_or_self(unit)}
        if rule.subject_within_kind_id not in kinds:
            return False
    return True


def _anchor(snap: _Snapshot, rule: EvaluationRule, unit: Unit) -> Unit | None:
    Anchor = EvaluationRule.Anchor
    if rule.anchor == Anchor.SAME_UNIT:
        return unit
    if rule.anchor == Anchor.NAMED_UNIT:
        return snap.units.get(rule.named_unit_id)
    lineage = snap.ancestors_or_self(unit)
    if rule.anchor == Anchor.PARENT_UNIT:
        return lineage[1] if len(lineage) > 1 else None
    return next((u for u in lineage if u.kind_id == rule.anchor_kind_id), None)


def _target_unit(snap: _Snapshot, rule: EvaluationRule, unit: Unit) -> Unit | None:
    anchor = _anchor(snap, rule, unit)
    if anchor is None or not rule.target_kind_id:
        return anchor if anchor is None or snap.unit_valid(anchor) else None
    candidates = snap.children.get((anchor.path, rule.target_kind_id), [])
    return min(candidates, key=lambda u: u.code) if candidates else None


def _apply_rule(snap: _Snapshot, rule: EvaluationRule, post: _Post, unit: Unit) -> Route:
    """The route one rule gives for one post (possibly a problem)."""
    target = _target_unit(snap, rule, unit)
    base = {"staff_id": post.staff_id, "rule_id": rule.pk}
    if target is None:
        return Route(**base, problem=Problem.NO_UNIT)
    base["unit_id"] = target.pk
    if rule.evaluator == EvaluationRule.Evaluator.COUNCIL:
        council = snap.councils.get(target.pk)
        if council is None or not council.members.all():
            return Route(**base, problem=Problem.VACANT)
        return Route(**base, council_id=council.pk)
    if rule.evaluator == EvaluationRule.Evaluator.POSITION:
        holders = snap.holders.get((target.pk, rule.evaluator_position_id), [])
    else:
        holders = snap.heads.get(target.pk, [])
    others = [h for h in holders if h.staff_id != post.staff_id]
    if not others:
        return Route(**base, problem=Problem.SELF if holders else Problem.VACANT)
    return Route(**base, evaluator_id=others[0].staff_id)


def _override_route(snap: _Snapshot, staff_id: int, override: EvaluatorOverride) -> Route:
    """The hand-set evaluator; reported as vacant when that person has left."""
    route = Route(
        staff_id=staff_id,
        evaluator_id=override.evaluator_id,
        council_id=override.council_id,
        override_id=override.pk,
    )
    if override.evaluator_id and override.evaluator_id not in snap.active_override_evaluators:
        return Route(staff_id=staff_id, override_id=override.pk, problem=Problem.VACANT)
    return route


def _resolve_one(snap: _Snapshot, staff_id: int, post: _Post | None) -> Route:
    override = snap.overrides.get(staff_id)
    if override is not None:
        route = _override_route(snap, staff_id, override)
        if route.resolved:
            return route
        # The override's evaluator left the post: the rules decide, and the route
        # report flags the override until the office replaces or ends it.
        fallback = _resolve_by_rules(snap, staff_id, post)
        return replace(fallback, override_id=override.pk, problem=Problem.VACANT)
    return _resolve_by_rules(snap, staff_id, post)


def _resolve_by_rules(snap: _Snapshot, staff_id: int, post: _Post | None) -> Route:
    if post is None:
        return Route(staff_id=staff_id, problem=Problem.NO_POST)
    unit = snap.units[post.unit_id]
    self_route = None
    for data in snap.rules:
        if not _matches(snap, data, post, unit):
            continue
        route = _apply_rule(snap, data.rule, post, unit)
        if route.problem != Problem.SELF:
            return route
        self_route = self_route or route
    return self_route or Route(staff_id=staff_id, problem=Problem.NO_RULE)


def resolve_routes(
    year: int, month: int, staff_ids: Iterable[int] | None = None
) -> dict[int, Route]:
    """Resolve the evaluator of every person active in the month (or of ``staff_ids``).

    Returns a route per person keyed by staff id. People named in ``staff_ids`` who hold
    no post that month get a route with the ``no_post`` problem. The number of queries
    is fixed, whatever the number of people.
    """
    staff_ids = list(staff_ids) if staff_ids is not None else None
    first, last = month_bounds(year, month)
    snap = _load_snapshot(first, last)
    posts = subject_posts(first, last, staff_ids)
    wanted = staff_ids if staff_ids is not None else list(posts)
    return {staff_id: _resolve_one(snap, staff_id, posts.get(staff_id)) for staff_id in wanted}


def evaluator_of(staff: Staff | int, year: int, month: int) -> Route:
    """Who evaluates ``staff`` in the given month, and by which rule or override."""
    staff_id = staff if isinstance(staff, int) else staff.pk
    return resolve_routes(year, month, [staff_id])[staff_id]


def unresolved_routes(year: int, month: int) -> list[Route]:
    """Every active person whose route the office must look at: nobody evaluates them,
    or their override's evaluator no longer holds the post (the rules apply meanwhile)."""
    return [route for route in resolve_routes(year, month).values() if route.flagged]


def describe_routes(routes: Iterable[Route]) -> dict[int, dict[str, object]]:
    """Names for routes (evaluator, council, rule, override) in a fixed number of queries."""
    routes = list(routes)
    evaluators = Staff.objects.in_bulk({r.evaluator_id for r in routes if r.evaluator_id})
    councils = Council.objects.in_bulk({r.council_id for r in routes if r.council_id})
    rules = EvaluationRule.objects.in_bulk({r.rule_id for r in routes if r.rule_id})
    overrides = EvaluatorOverride.objects.in_bulk({r.override_id for r in routes if r.override_id})
    return {
        route.staff_id: {
            "route": route,
            "evaluator": evaluators.get(route.evaluator_id) or councils.get(route.council_id),
            "rule": rules.get(route.rule_id),
            "override": overrides.get(route.override_id),
        }
        for route in routes
    }


def group_by_evaluator(routes: Iterable[Route]) -> dict[int, list[int]]:
    """Staff ids grouped under the person who evaluates them (council routes left out)."""
    grouped: dict[int, list[int]] = defaultdict(list)
    for route in routes:
        if route.evaluator_id:
            grouped[route.evaluator_id].append(route.staff_id)
    return dict(grouped)
