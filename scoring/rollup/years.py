"""A person's quarters and year from their months, and a unit's year report.

Each month stays under the unit the person was in (``Evaluation.unit`` is frozen per
month); a person's year is theirs wherever they served, since they take their results
along (DOMAIN.md). A unit's report lists everyone with a month in it, or in any unit
merged into it (``Unit.successor``, followed back through every merger), in the year.

A month counts once its final total is settled: evaluated, or frozen at close. A month
absent for good cause is left out, as is one not evaluated yet. The mean, its bands and
its rule come from the criteria set of the person's latest counted month
(:attr:`scoring.criteria.models.CriteriaSet.rollup_rule`); the arithmetic is
:mod:`scoring.engine.rollup`. A reprimand or heavier discipline decided in the year forces
"Không hoàn thành nhiệm vụ" for the year (:mod:`scoring.rollup.models`).

Every service reads a fixed number of queries, however many people it covers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from scoring.calendar.models import Period
from scoring.criteria.models import CriteriaSet
from scoring.cycle.models import Evaluation
from scoring.engine import level_label
from scoring.engine.rollup import (
    DEFAULT_ROLLUP_RULE,
    QUARTERS,
    MonthInput,
    MonthStatus,
    RollupResult,
    RollupRule,
    failing_run,
    quarter_of,
    roll_up_quarter,
    roll_up_year,
)
from scoring.engine.types import Level
from scoring.lib.names import fold
from scoring.organisation.models import Staff, Unit

from .models import Discipline, forcing_kinds

MONTHS = tuple(range(1, 13))


# --- Rows ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MonthRow:
    """One month of a person's year: under which unit, and what it gives.

    ``status`` is None when the person has no sheet that month (not yet in service, or
    the month not opened).
    """

    month: int
    status: MonthStatus | None = None
    total: Decimal | None = None
    level: int | None = None
    unit_id: int | None = None
    unit_name: str = ""

    @property
    def is_absent(self) -> bool:
        return self.status == MonthStatus.ABSENT

    @property
    def is_counted(self) -> bool:
        return self.status == MonthStatus.COUNTED


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A month left out of a mean, and why."""

    month: int
    status: MonthStatus
    reason: str


@dataclass(frozen=True, slots=True)
class Standing:
    """A quarter's (``quarter`` 1..4) or the year's (``quarter`` None) result.

    ``used`` are the month numbers in the mean, ``left_out`` the months with a sheet that
    were not; ``mean`` is exact (cut to 20 decimals), ``total`` the mean as shown (two
    decimals, never rounded up across a band edge); ``override`` says why the level was
    forced, when it was.
    """

    year: int
    quarter: int | None
    months: tuple[MonthRow, ...]
    used: tuple[int, ...]
    left_out: tuple[LeftOut, ...]
    mean: Decimal | None
    total: Decimal | None
    level: int | None
    explanation: str
    override: str | None = None

    @property
    def level_label(self) -> str:
        return level_label(self.level) if self.level is not None else ""

    @property
    def absences(self) -> list[LeftOut]:
        """The months left out because the person was absent for good cause."""
        return [left for left in self.left_out if left.status == MonthStatus.ABSENT]


@dataclass(frozen=True, slots=True)
class PersonYear:
    """A person's year: every month, the four quarters, the year and why it is so."""

    staff_id: int
    full_name: str
    code: str
    year: int
    months: tuple[MonthRow, ...]
    quarters: tuple[Standing, ...]
    result: Standing

    @property
    def unit_names(self) -> list[str]:
        """The units the person's months were under, in order of first appearance."""
        names = [m.unit_name for m in self.months if m.unit_name]
        return list(dict.fromkeys(names))

    @property
    def proposed_for_reward(self) -> bool:
        """Proposed for rewards: the year at "Hoàn thành xuất sắc nhiệm vụ"."""
        return self.result.level == Level.EXCELLENT

    @property
    def attention_reasons(self) -> list[str]:
        """Why the person needs attention: the year failed, or two quarters in a row."""
        reasons = []
        if self.result.level == Level.FAILURE:
            reasons.append(_("The year: %(level)s") % {"level": level_label(Level.FAILURE)})
        first = failing_run([quarter.level for quarter in self.quarters])
        if first is not None:
            values = {"first": first, "second": first + 1, "level": level_label(Level.FAILURE)}
            reasons.append(_("Quarters %(first)d and %(second)d in a row: %(level)s") % values)
        return reasons


@dataclass(frozen=True, slots=True)
class UnitYear:
    """A unit's year (or one quarter of it): everyone with a month in it or in a unit
    merged into it, and the year-end lists.

    ``unit_ids`` are the unit and its predecessors, ``predecessors`` the latter's names.
    """

    unit_id: int
    unit_name: str
    year: int
    quarter: int | None
    unit_ids: frozenset[int]
    predecessors: tuple[str, ...]
    people: tuple[PersonYear, ...]

    @property
    def rewards(self) -> list[PersonYear]:
        """Proposed for rewards: the year at level 1."""
        return [person for person in self.people if person.proposed_for_reward]

    @property
    def attention(self) -> list[tuple[PersonYear, list[str]]]:
        """Proposed for attention, with the reasons: the year or two quarters at level 4."""
        return [(p, p.attention_reasons) for p in self.people if p.attention_reasons]


# --- Reading months ------------------------------------------------------------------

MONTH_FIELDS = (
    "staff_id",
    "period__month",
    "period__state",
    "state",
    "final_total",
    "level",
    "unit_id",
    "unit__name",
    "criteria_set_id",
)


def month_status(sheet_state: str, period_state: str, total: Decimal | None) -> MonthStatus:
    """Whether a sheet's month counts: absent, settled (evaluated or frozen), or pending."""
    if sheet_state == Evaluation.State.EXCUSED:
        return MonthStatus.ABSENT
    settled = sheet_state == Evaluation.State.APPROVED or period_state == Period.State.CLOSED
    return MonthStatus.COUNTED if settled and total is not None else MonthStatus.PENDING


def _month_rows(staff_ids, year: int) -> tuple[dict[int, dict[int, MonthRow]], dict[int, dict]]:
    """Each person's months of the year (one query), and the criteria set of each month."""
    rows: dict[int, dict[int, MonthRow]] = defaultdict(dict)
    sets: dict[int, dict[int, int]] = defaultdict(dict)
    sheets = Evaluation.objects.filter(staff_id__in=staff_ids, period__year=year)
    for values in sheets.values(*MONTH_FIELDS):
        month = values["period__month"]
        status = month_status(values["state"], values["period__state"], values["final_total"])
        counted = status == MonthStatus.COUNTED
        rows[values["staff_id"]][month] = MonthRow(
            month,
            status,
            values["final_total"] if counted else None,
            values["level"] if counted else None,
            values["unit_id"],
            values["unit__name"],
        )
        sets[values["staff_id"]][month] = values["criteria_set_id"]
    return rows, sets


def _rules(sets_by_person: dict[int, dict[int, int]]) -> dict[int, RollupRule]:
    """Each criteria set's rule (two queries: the sets and their bands)."""
    ids = {set_id for months in sets_by_person.values() for set_id in months.values()}
    criteria_sets = CriteriaSet.objects.filter(pk__in=ids).prefetch_related("bands")
    return {criteria_set.pk: criteria_set.rollup_rule for criteria_set in criteria_sets}


def _rule_of(months: dict[int, MonthRow], sets: dict[int, int], rules) -> RollupRule:
    """The rule of the person's latest counted month (else latest month, else default)."""
    counted = [m for m, row in months.items() if row.is_counted]
    chosen = max(counted or months or [0])
    return rules.get(sets.get(chosen), DEFAULT_ROLLUP_RULE)


def discipline_reason(discipline: Discipline) -> str:
    """Why a discipline forces the year: its form, decision number and date."""
    return _("%(kind)s (decision %(number)s of %(day)s): failure whatever the points") % {
        "kind": capfirst(discipline.get_kind_display()),
        "number": discipline.decision_number,
        "day": date_format(discipline.decided_on, "SHORT_DATE_FORMAT"),
    }


def _overrides(staff_ids, year: int) -> dict[int, str]:
    """The reason each person's year is forced to level 4, if it is (one query)."""
    reasons: dict[int, list[str]] = defaultdict(list)
    decided = Discipline.objects.filter(
        staff_id__in=staff_ids, decided_on__year=year, kind__in=list(forcing_kinds())
    ).order_by("decided_on", "pk")
    for discipline in decided:
        reasons[discipline.staff_id].append(discipline_reason(discipline))
    return {staff_id: "; ".join(texts) for staff_id, texts in reasons.items()}


# --- Rolling up --------------------------------------------------------------------------


def left_out_reason(status: MonthStatus) -> str:
    return {
        MonthStatus.ABSENT: _("absent for good cause"),
        MonthStatus.PENDING: _("not evaluated yet"),
    }.get(status, str(status))


def _inputs(rows: Iterable[MonthRow]) -> list[MonthInput]:
    return [
        MonthInput(row.month, row.status, row.total, row.level)
        for row in rows
        if row.status is not None
    ]


def _standing(year: int, quarter: int | None, rows, result: RollupResult) -> Standing:
    return Standing(
        year,
        quarter,
        tuple(rows),
        result.counted,
        tuple(LeftOut(m, status, left_out_reason(status)) for m, status in result.left_out),
        result.mean,
        result.total,
        result.level,
        result.explanation,
        result.override,
    )


def _quarter(year: int, quarter: int, rows: Iterable[MonthRow], rule: RollupRule) -> Standing:
    in_quarter = [row for row in rows if quarter_of(row.month) == quarter]
    return _standing(year, quarter, in_quarter, roll_up_quarter(_inputs(in_quarter), rule))


def _person_year(staff: Staff, year: int, months, rule: RollupRule, override) -> PersonYear:
    rows = tuple(months.get(month, MonthRow(month)) for month in MONTHS)
    quarters = tuple(_quarter(year, q, rows, rule) for q in QUARTERS)
    result = _standing(year, None, rows, roll_up_year(_inputs(rows), rule, override))
    return PersonYear(staff.pk, staff.full_name, staff.code, year, rows, quarters, result)


def person_years(people: Iterable[Staff], year: int, staff_ids=None) -> list[PersonYear]:
    """The years of ``people`` (``staff_ids``: the same as ids or a subquery), in five
    queries however many they are."""
    people = list(people)
    ids = staff_ids if staff_ids is not None else [person.pk for person in people]
    months, sets = _month_rows(ids, year)
    rules = _rules(sets)
    overrides = _overrides(ids, year)
    return [
        _person_year(
            person,
            year,
            months.get(person.pk, {}),
            _rule_of(months.get(person.pk, {}), sets.get(person.pk, {}), rules),
            overrides.get(person.pk),
        )
        for person in people
    ]


def person_year(staff: Staff, year: int) -> PersonYear:
    """One person's year, wherever they served: months, quarters, the year."""
    return person_years([staff], year)[0]


def person_quarter(staff: Staff, year: int, quarter: int) -> Standing:
    """One person's quarter (1..4): the mean of its counted months on the bands."""
    if quarter not in QUARTERS:
        raise ValueError(f"A quarter is 1 to 4, not {quarter}.")
    return person_year(staff, year).quarters[quarter - 1]


# --- A unit's year --------------------------------------------------------------------


def predecessors_of(unit: Unit) -> list[Unit]:
    """Every unit merged into ``unit``, directly or through earlier mergers (one query)."""
    merged = list(Unit.objects.filter(successor__isnull=False).only("pk", "name", "successor"))
    by_successor: dict[int, list[Unit]] = defaultdict(list)
    for each in merged:
        by_successor[each.successor_id].append(each)
    found: dict[int, Unit] = {}
    waiting = [unit.pk]
    while waiting:
        for each in by_successor.get(waiting.pop(), []):
            if each.pk not in found and each.pk != unit.pk:
                found[each.pk] = each
                waiting.append(each.pk)
    return sorted(found.values(), key=lambda each: fold(each.name))


def _served(unit_ids: Iterable[int], year: int, quarter: int | None) -> QuerySet[Staff]:
    """The people with a month in one of ``unit_ids`` in the year (or the quarter)."""
    sheets = Evaluation.objects.filter(unit_id__in=list(unit_ids), period__year=year)
    if quarter is not None:
        first = (quarter - 1) * 3 + 1
        sheets = sheets.filter(period__month__gte=first, period__month__lte=first + 2)
    return Staff.objects.filter(pk__in=sheets.values("staff_id"))


def unit_year(unit: Unit, year: int, quarter: int | None = None) -> UnitYear:
    """A unit's year report (or one quarter's): everyone who served in it or in a unit
    merged into it, each with their whole year, and the reward and attention lists.

    Seven queries, however many people and months.
    """
    earlier = predecessors_of(unit)
    unit_ids = frozenset([unit.pk, *(each.pk for each in earlier)])
    served = _served(unit_ids, year, quarter)
    people = sorted(served.only("pk", "full_name", "code"), key=lambda p: (fold(p.full_name), p.pk))
    rows = person_years(people, year, staff_ids=served.values("pk"))
    return UnitYear(
        unit.pk,
        unit.name,
        year,
        quarter,
        unit_ids,
        tuple(each.name for each in earlier),
        tuple(rows),
    )
