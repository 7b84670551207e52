"""The month's objectivity flags: per evaluator, per person, per unit, per desk officer.

Each flag is a signal for people to look at (:mod:`scoring.engine.objectivity`), never a
change, and carries the sheets behind it. :func:`objectivity_report` reads the month in
a fixed number of queries whatever the number of sheets; its thresholds are settings
(``OBJECTIVITY_*``, README "Settings").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from scoring.calendar.models import Period
from scoring.cycle.models import CriterionScore, Evaluation
from scoring.engine import objectivity as checks
from scoring.engine.objectivity import Signal, SignalKind, Thresholds
from scoring.organisation.staff import under_paths
from scoring.ratings import tally

State = Evaluation.State

KIND_LABELS = {
    SignalKind.FORMALISM: gettext_lazy("Formalism: identical sheets"),
    SignalKind.LENIENCY: gettext_lazy("Leniency: final above self-assessment"),
    SignalKind.SEVERITY: gettext_lazy("Severity: final below self-assessment"),
    SignalKind.SUDDEN_DROP: gettext_lazy("Sudden drop with no reason"),
    SignalKind.UNIT_ABOVE_PEERS: gettext_lazy("Unit far above its peers"),
    SignalKind.HIGH_LEVEL_LOW_SATISFACTION: gettext_lazy("High level, low citizen satisfaction"),
    SignalKind.LOW_LEVEL_HIGH_SATISFACTION: gettext_lazy("Low level, high citizen satisfaction"),
}


UNITS_HEADING = gettext_lazy("Units compared with units of their kind")


def thresholds() -> Thresholds:
    """The thresholds from the settings (``OBJECTIVITY_*``), the engine's defaults else."""
    defaults = Thresholds()
    values = {}
    for name in Thresholds.__dataclass_fields__:
        value = getattr(settings, f"OBJECTIVITY_{name.upper()}", None)
        if value is not None:
            kind = type(getattr(defaults, name))
            values[name] = kind(value) if kind is int else Decimal(str(value))
    return Thresholds(**values)


@dataclass
class SheetLink:
    """A sheet behind a flag: whose, and where its page is."""

    evaluation_id: int
    staff_name: str
    unit_name: str
    total: Decimal | None
    url: str


@dataclass
class Flag:
    """One signal with who and what it is about and the sheets behind it."""

    kind: SignalKind
    explanation: str
    figure: Decimal
    threshold: Decimal
    subject: str
    unit_id: int
    unit_name: str  # the sheets' unit, or the first of their units when several
    evaluator: str
    sheets: list[SheetLink]

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])


@dataclass
class FlagGroup:
    """The flags of one evaluator or one unit."""

    name: str
    flags: list[Flag] = field(default_factory=list)


@dataclass
class ObjectivityReport:
    """The month's flags, listed per evaluator and per unit (the same flags twice)."""

    period: Period
    thresholds: Thresholds
    flags: list[Flag]
    sheets_read: int

    @property
    def by_evaluator(self) -> list[FlagGroup]:
        """Per evaluator; a unit's flag, which no one evaluator raised, under "Units"."""
        units = str(UNITS_HEADING)
        return _grouped(self.flags, lambda flag: flag.evaluator or units)

    @property
    def by_unit(self) -> list[FlagGroup]:
        return _grouped(self.flags, lambda flag: flag.unit_name)


def _grouped(flags: list[Flag], key) -> list[FlagGroup]:
    groups: dict[str, FlagGroup] = {}
    for flag in flags:
        name = key(flag)
        groups.setdefault(name, FlagGroup(name)).flags.append(flag)
    return sorted(groups.values(), key=lambda group: group.name)


# --- Reading the month ------------------------------------------------------------------


def scored_sheets(period: Period, unit_paths: tuple[str, ...] | None):
    """The month's evaluated sheets in scope (``None``: every unit), with names."""
    queryset = (
        Evaluation.objects.filter(period=period, level__isnull=False, final_total__isnull=False)
        .exclude(state=State.EXCUSED)
        .select_related("staff", "unit", "evaluator", "council")
        .only(
            "pk",
            "staff_id",
            "staff__full_name",
            "unit_id",
            "unit__name",
            "unit__kind_id",
            "evaluator_id",
            "evaluator__full_name",
            "council_id",
            "council__name",
            "self_total",
            "final_total",
            "level",
            "explanation",
        )
        .order_by("unit__path", "staff__full_name", "pk")
    )
    return list(queryset.filter(under_paths(unit_paths, "unit__path")))


def link(evaluation: Evaluation) -> SheetLink:
    return SheetLink(
        evaluation.pk,
        evaluation.staff.full_name,
        evaluation.unit.name,
        evaluation.final_total,
        reverse("scoring_review", args=[evaluation.pk]),
    )


def evaluator_name(evaluation: Evaluation) -> str:
    if evaluation.council_id:
        return evaluation.council.name
    return evaluation.evaluator.full_name if evaluation.evaluator_id else "–"


def flag(signal: Signal, subject: str, sheets: list[Evaluation], by_unit=False) -> Flag:
    """The signal with its subject and sheets; a unit's flag names no evaluator."""
    first = sheets[0]
    return Flag(
        signal.kind,
        signal.explanation,
        signal.figure,
        signal.threshold,
        subject,
        first.unit_id,
        units_named(sheets),
        "" if by_unit else evaluator_name(first),
        [link(evaluation) for evaluation in sheets],
    )


def units_named(sheets: list[Evaluation], most: int = 3) -> str:
    """The unit of the sheets, or the first units' names when they span several (an
    evaluator or a council may score people of many units)."""
    names = sorted({evaluation.unit.name for evaluation in sheets})
    shown = ", ".join(names[:most])
    return shown + ("…" if len(names) > most else "")


def frozen_lines(evaluation: Evaluation) -> tuple | None:
    """The sheet's final line points as stored when it was decided (None: not stored)."""
    lines = (evaluation.explanation or {}).get("lines")
    if not lines:
        return None
    return tuple((line.get("code"), line.get("points")) for line in lines)


# --- The checks -----------------------------------------------------------------------


def evaluator_flags(sheets: list[Evaluation], limits: Thresholds) -> list[Flag]:
    """Formalism and leniency or severity, per evaluator (or council) of the month."""
    by_evaluator: dict[tuple, list[Evaluation]] = defaultdict(list)
    for evaluation in sheets:
        by_evaluator[(evaluation.evaluator_id, evaluation.council_id)].append(evaluation)
    flags = []
    for group in by_evaluator.values():
        if group[0].evaluator_id is None and group[0].council_id is None:
            continue
        found = {e.pk: e for e in group}
        totals = [(e.pk, e.final_total) for e in group]
        lines = [(e.pk, points) for e in group if (points := frozen_lines(e)) is not None]
        pairs = [(e.pk, e.self_total, e.final_total) for e in group if e.self_total is not None]
        for signal in (
            checks.formalism(totals, lines, limits),
            checks.score_gap(pairs, limits),
        ):
            if signal is not None:
                behind = [found[key] for key in signal.keys]
                flags.append(flag(signal, evaluator_name(group[0]), behind))
    return flags


def recent_totals(period: Period, staff_ids: list[int], months: int) -> dict[int, list[Decimal]]:
    """Each person's final totals of the evaluated months before ``period``, oldest first,
    looking back at most a year (one query); absent months are left out."""
    index = period.year * 12 + period.month - 1
    first_year = (index - 12) // 12
    rows = (
        Evaluation.objects.filter(staff_id__in=staff_ids, final_total__isnull=False)
        .exclude(state=State.EXCUSED)
        .filter(
            Q(period__year__lt=period.year)
            | Q(period__year=period.year, period__month__lt=period.month)
        )
        .filter(period__year__gte=first_year)
        .values_list("staff_id", "period__year", "period__month", "final_total")
        .order_by("staff_id", "period__year", "period__month")
    )
    totals: dict[int, list[Decimal]] = defaultdict(list)
    for staff_id, year, month, total in rows:
        if year * 12 + month - 1 >= index - 12:
            totals[staff_id].append(total)
    return {staff_id: values[-months:] for staff_id, values in totals.items()}


def reasoned_sheets(sheet_ids: list[int]) -> set[int]:
    """Sheets whose evaluator wrote a comment on some line (one query).

    A sheet has no comment of its own: the evaluator's comments on its lines are the
    reason recorded for a score.
    """
    return set(
        CriterionScore.objects.filter(evaluation_id__in=sheet_ids)
        .exclude(final_comment="")
        .values_list("evaluation_id", flat=True)
        .distinct()
    )


def drop_flags(period: Period, sheets: list[Evaluation], limits: Thresholds) -> list[Flag]:
    """A person far below their own recent months with no reason recorded (two queries)."""
    recent = recent_totals(period, [e.staff_id for e in sheets], limits.drop_months)
    candidates = [e for e in sheets if e.staff_id in recent]
    reasoned = reasoned_sheets([e.pk for e in candidates])
    flags = []
    for evaluation in candidates:
        signal = checks.sudden_drop(
            evaluation.final_total, recent[evaluation.staff_id], evaluation.pk in reasoned, limits
        )
        if signal is not None:
            flags.append(flag(signal, evaluation.staff.full_name, [evaluation]))
    return flags


def unit_means(period: Period, limits: Thresholds) -> dict[int, tuple[int, Decimal]]:
    """Every unit's (kind, mean final total) of the month, units with enough sheets only
    (one grouped query, over every unit: peers are compared whatever the scope)."""
    rows = (
        Evaluation.objects.filter(period=period, final_total__isnull=False, level__isnull=False)
        .exclude(state=State.EXCUSED)
        .values("unit_id", "unit__kind_id")
        .annotate(mean=Avg("final_total"), sheets=Count("pk"))
        .order_by()
    )
    return {
        row["unit_id"]: (row["unit__kind_id"], Decimal(str(row["mean"])))
        for row in rows
        if row["sheets"] >= limits.unit_min_sheets
    }


def unit_flags(period: Period, sheets: list[Evaluation], limits: Thresholds) -> list[Flag]:
    """Units whose mean is far above the other units of the same kind."""
    means = unit_means(period, limits)
    by_unit: dict[int, list[Evaluation]] = defaultdict(list)
    for evaluation in sheets:
        by_unit[evaluation.unit_id].append(evaluation)
    flags = []
    for unit_id, unit_sheets in by_unit.items():
        if unit_id not in means:
            continue
        kind, mean = means[unit_id]
        peers = [m for other, (k, m) in means.items() if k == kind and other != unit_id]
        signal = checks.unit_above_peers(mean, peers, limits)
        if signal is not None:
            flags.append(flag(signal, unit_sheets[0].unit.name, unit_sheets, by_unit=True))
    return flags


def satisfaction_flags(period: Period, sheets: list[Evaluation], limits: Thresholds) -> list[Flag]:
    """Desk officers whose level and citizens' satisfaction disagree (two queries)."""
    figures = tally.month_figures(period.year, period.month, "officer")
    flags = []
    for evaluation in sheets:
        officer = figures.get(evaluation.staff_id)
        if officer is None:
            continue
        signal = checks.satisfaction_mismatch(
            evaluation.level, officer.ratio, officer.ratings, limits
        )
        if signal is not None:
            flags.append(flag(signal, evaluation.staff.full_name, [evaluation]))
    return flags


def objectivity_report(
    period: Period, unit_paths: tuple[str, ...] | None = None
) -> ObjectivityReport:
    """Every flag of the month for the units under ``unit_paths`` (None: every unit).

    Seven queries whatever the number of sheets: the sheets, the earlier months, the
    line comments, the units' means, and the ratings tally.
    """
    limits = thresholds()
    sheets = scored_sheets(period, unit_paths)
    flags = [
        *evaluator_flags(sheets, limits),
        *drop_flags(period, sheets, limits),
        *unit_flags(period, sheets, limits),
        *satisfaction_flags(period, sheets, limits),
    ]
    return ObjectivityReport(period, limits, flags, len(sheets))
