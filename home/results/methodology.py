"""What the methodology page says, read from the data and the code in force.

Nothing here is written by hand: the criteria sets in force with their groups, lines and
points (``scoring.criteria``), the classification bands and the rounding rule
(``scoring.engine.classify``), the satisfaction formula and its minimum
(``scoring.ratings.tally``, ``scoring.publishing.figures.minimum``), the suppression rule
worked on an example by the very function that suppresses the releases
(``scoring.engine.suppression``) and the release calendar
(``scoring.publishing.releases``). So the page cannot disagree with the scoring.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.calendar.models import Period
from scoring.criteria.models import (
    CriteriaSet,
    Criterion,
    CriterionGroup,
    KindChoices,
    criteria_sets_in_force,
)
from scoring.engine import DEFAULT_BANDS, DEFAULT_SATISFACTION_RULE, Band, level_label
from scoring.engine.amounts import format_points
from scoring.engine.classify import band_for, shown_total
from scoring.engine.suppression import suppress
from scoring.organisation.models import Staff
from scoring.publishing.figures import minimum
from scoring.publishing.models import Release
from scoring.publishing.public import is_public
from scoring.publishing.releases import calendar_date
from scoring.ratings.models import QuestionSet
from scoring.ratings.tally import LEVEL_WORDS, SCALE_WORDS

SATISFIED_WORDS = ("very_satisfied", "satisfied")  # what the tally counts as satisfied
ROUNDING_EXAMPLES = ("87.125", "89.9956", "89.995", "69.999")
# A unit table worked through the suppression rule: classified, then each level.
SUPPRESSION_EXAMPLE = [[24, 4, 14, 6, 0], [31, 6, 19, 6, 0], [12, 2, 8, 2, 0], [8, 1, 6, 1, 0]]


@dataclass(frozen=True)
class Line:
    code: str
    title: str
    kind: str
    max_points: str
    cap: str


@dataclass(frozen=True)
class Group:
    title: str
    lines: list[Line]


@dataclass(frozen=True)
class BandRow:
    level: int
    label: str
    minimum: str
    below: str  # the next band's minimum ("" for the best band)


@dataclass(frozen=True)
class SetInForce:
    name: str
    version: int
    effective_from: datetime.date
    applies_to: str
    max_points: str
    groups: list[Group]
    bands: list[BandRow]
    note: str


@dataclass(frozen=True)
class Rounding:
    exact: str
    shown: str
    level: str


@dataclass(frozen=True)
class ComingRelease:
    month: str
    date: datetime.datetime
    passed: bool


def _applies_to(criteria_set: CriteriaSet) -> str:
    categories = dict(Staff.Category.choices)
    parts = [str(categories.get(code, code)) for code in criteria_set.categories]
    who = ", ".join(parts) if parts else _("all staff categories")
    positions = ", ".join(position.name for position in criteria_set.positions.all())
    text = f"{who}; {criteria_set.get_leaders_display()}"
    if positions:
        text += "; " + _("positions: %(positions)s") % {"positions": positions}
    if criteria_set.for_desk_officers:
        text += "; " + _("one-stop desk officers")
    return text


def _bands(bands: list[Band]) -> list[BandRow]:
    ordered = sorted(bands, key=lambda band: band.level)
    rows = []
    for index, band in enumerate(ordered):
        above = ordered[index - 1].minimum if index else None
        rows.append(
            BandRow(
                int(band.level),
                level_label(band.level),
                format_points(band.minimum),
                "" if above is None else format_points(above),
            )
        )
    return rows


def _set(criteria_set: CriteriaSet) -> SetInForce:
    kinds = dict(KindChoices.choices)
    groups = [
        Group(
            group.title,
            [
                Line(
                    line.code,
                    line.title,
                    str(kinds.get(line.kind, line.kind)),
                    format_points(line.max_points),
                    level_label(line.cap_level) if line.cap_level else "",
                )
                for line in group.criteria.all()
            ],
        )
        for group in criteria_set.groups.all()
    ]
    bands = [Band(band.level, band.minimum) for band in criteria_set.bands.all()]
    return SetInForce(
        criteria_set.name,
        criteria_set.version,
        criteria_set.effective_from,
        _applies_to(criteria_set),
        format_points(criteria_set.max_points),
        groups,
        _bands(bands or list(DEFAULT_BANDS)),
        criteria_set.note,
    )


def _prefetch_lines(sets: list[CriteriaSet]) -> None:
    """Each set's groups and lines from one query (a group without lines carries no
    points and is left out), as ``set.groups.all()`` and ``group.criteria.all()``."""
    lines = (
        Criterion.objects.filter(group__criteria_set__in=sets)
        .select_related("group")
        .order_by("group__criteria_set_id", "group__sort_order", "group_id", "sort_order", "pk")
    )
    groups: dict[int, list[CriterionGroup]] = {criteria_set.pk: [] for criteria_set in sets}
    criteria: dict[int, list[Criterion]] = {}
    for line in lines:
        if line.group_id not in criteria:
            criteria[line.group_id] = []
            groups[line.group.criteria_set_id].append(line.group)
            line.group._prefetched_objects_cache = {"criteria": criteria[line.group_id]}
        criteria[line.group_id].append(line)
    for criteria_set in sets:
        cached = getattr(criteria_set, "_prefetched_objects_cache", {})
        cached["groups"] = groups[criteria_set.pk]
        criteria_set._prefetched_objects_cache = cached


def sets_in_force(day: datetime.date) -> list[SetInForce]:
    """The criteria sets in force on ``day`` with their lines and bands (four queries)."""
    sets = criteria_sets_in_force(day)
    _prefetch_lines(sets)
    prefetch_related_objects(sets, "bands")
    return [_set(criteria_set) for criteria_set in sets]


def rounding() -> list[Rounding]:
    """The rounding rule shown on totals the engine rounds (never up across a band)."""
    return [
        Rounding(
            exact,
            format_points(shown_total(Decimal(exact))),
            level_label(band_for(Decimal(exact), DEFAULT_BANDS).level),
        )
        for exact in ROUNDING_EXAMPLES
    ]


def suppression_example() -> list[list[tuple[int, bool]]]:
    """The example table, each cell with whether the release would hide it."""
    hidden = suppress(SUPPRESSION_EXAMPLE, minimum())
    return [
        list(zip(row, marks, strict=True))
        for row, marks in zip(SUPPRESSION_EXAMPLE, hidden, strict=True)
    ]


def answer_words(day: datetime.date) -> tuple[list[str], list[str]]:
    """The answers of the question set in force: (all, those counted as satisfied)."""
    question_set = QuestionSet.in_force(day)
    scale = question_set.scale if question_set is not None else 3
    keys = [
        SCALE_WORDS.get(scale, SCALE_WORDS[3])[level]
        for level in sorted(SCALE_WORDS.get(scale, SCALE_WORDS[3]), reverse=True)
    ]
    words = [str(LEVEL_WORDS[key]) for key in keys]
    satisfied = [str(LEVEL_WORDS[key]) for key in keys if key in SATISFIED_WORDS]
    return words, satisfied


def coming_releases(now: datetime.datetime | None = None) -> list[ComingRelease]:
    """The months opened and not yet released, with their date on the release calendar."""
    now = now or timezone.now()
    released = Release.objects.filter(is_public(now)).values("period_id")
    periods = Period.objects.exclude(pk__in=released).order_by("year", "month")[:12]
    coming = []
    for period in periods:
        date = calendar_date(period)
        coming.append(ComingRelease(f"{period.year:04d}-{period.month:02d}", date, date <= now))
    return coming


def methodology(today: datetime.date | None = None) -> dict:
    """Everything the methodology page shows (a fixed number of queries)."""
    today = today or timezone.localdate()
    words, satisfied = answer_words(today)
    return {
        "sets": sets_in_force(today),
        "rounding": rounding(),
        "minimum": minimum(),
        "officer_minimum": DEFAULT_SATISFACTION_RULE.minimum_ratings,
        "answer_words": words,
        "satisfied_words": satisfied,
        "suppression_example": suppression_example(),
        "coming": coming_releases(),
        "release_day": calendar_day(),
    }


def calendar_day() -> int:
    """The day of the following month a month is released on (``RELEASE_DAY``)."""
    return calendar_date(Period(year=2000, month=1)).day
