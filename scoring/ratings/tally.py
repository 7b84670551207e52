"""Monthly figures of citizen ratings per officer, desk and unit, and the sheet's line.

For each month: receipts issued, ratings received (so the response rate is known), the
count at each answer level of the overall question, and the satisfaction ratio: the
share of satisfied and very satisfied answers, as the national index counts it
(Decision 766/QĐ-TTg). Every figure is two aggregate queries, whatever the volume.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext, gettext_lazy

from scoring import engine
from scoring.lib.months import day_bounds, month_bounds
from scoring.organisation.models import Staff, Unit
from scoring.organisation.staff import with_current_post

from .models import CitizenRating, QuestionSet, Receipt, ServiceDesk
from .scope import Scope

Moderation = CitizenRating.Moderation

# --- Answer levels -------------------------------------------------------------------

# The words of each level, best first, as citizens read them (DOMAIN.md): three levels,
# or five on portals that add "Bình thường" and "Rất không hài lòng".
LEVEL_WORDS = {
    "very_satisfied": gettext_lazy("Very satisfied"),
    "satisfied": gettext_lazy("Satisfied"),
    "neutral": gettext_lazy("Neutral"),
    "not_satisfied": gettext_lazy("Not satisfied"),
    "very_dissatisfied": gettext_lazy("Very dissatisfied"),
}
SCALE_WORDS = {
    3: {3: "very_satisfied", 2: "satisfied", 1: "not_satisfied"},
    5: {
        5: "very_satisfied",
        4: "satisfied",
        3: "neutral",
        2: "not_satisfied",
        1: "very_dissatisfied",
    },
}
TENTH = Decimal("0.1")


def level_word(scale: int, level: int) -> str:
    """The word for answer ``level`` on a 3- or 5-level scale ("" when off the scale)."""
    key = SCALE_WORDS.get(scale, {}).get(level)
    return str(LEVEL_WORDS[key]) if key else ""


def words_in_use(scales) -> list[str]:
    """The level keys of the given scales, best first (3 words, or 5 when a set has 5)."""
    used = {key for scale in scales for key in SCALE_WORDS.get(scale, {}).values()}
    return [key for key in LEVEL_WORDS if key in used]


def percent(ratio: Decimal | None) -> Decimal | None:
    """A ratio 0..1 as a percentage with one decimal (None stays None: nothing to divide)."""
    if ratio is None:
        return None
    return (ratio * 100).quantize(TENTH, rounding=ROUND_HALF_UP)


GROUPINGS = {"officer": "officer_id", "desk": "desk_id", "unit": "desk__unit_id"}


@dataclass
class Figures:
    """One officer's, desk's or unit's month of ratings.

    ``scale_levels`` counts the overall answers per (scale, level), so sets asked on 3-
    and on 5-level scales can be told apart; ``levels`` adds them up per level.
    """

    receipts: int = 0
    ratings: int = 0
    satisfied: int = 0
    scale_levels: dict[tuple[int, int], int] = field(default_factory=dict)

    @property
    def levels(self) -> dict[int, int]:
        levels: dict[int, int] = defaultdict(int)
        for (_scale, level), count in self.scale_levels.items():
            levels[level] += count
        return dict(levels)

    @property
    def scales(self) -> set[int]:
        return {scale for scale, _level in self.scale_levels}

    @property
    def ratio(self) -> Decimal | None:
        return Decimal(self.satisfied) / self.ratings if self.ratings else None

    @property
    def response_rate(self) -> Decimal | None:
        return Decimal(self.ratings) / self.receipts if self.receipts else None

    def share(self, level: int) -> Decimal | None:
        return Decimal(self.levels.get(level, 0)) / self.ratings if self.ratings else None

    @property
    def count(self) -> engine.RatingCount:
        return engine.RatingCount(self.ratings, self.satisfied)

    @property
    def words(self) -> dict[str, int]:
        words: dict[str, int] = defaultdict(int)
        for (scale, level), count in self.scale_levels.items():
            word = SCALE_WORDS.get(scale, {}).get(level)
            if word:
                words[word] += count
        return dict(words)

    def word_share(self, key: str) -> Decimal | None:
        return Decimal(self.words.get(key, 0)) / self.ratings if self.ratings else None

    def shares(self, keys: list[str]) -> list[dict]:
        """Each level with its word, count and share in percent, best first."""
        words = self.words
        return [
            {
                "key": key,
                "word": LEVEL_WORDS[key],
                "count": words.get(key, 0),
                "percent": percent(Decimal(words.get(key, 0)) / self.ratings)
                if self.ratings
                else None,
            }
            for key in keys
        ]


def month_querysets(
    year: int, month: int, before: datetime.datetime | None = None
) -> tuple[QuerySet, QuerySet]:
    """The month's receipts and the ratings of those receipts (as the sheets count them).

    ``before`` leaves out the ratings made from that moment on (see :func:`start_of_today`).
    """
    first, last = month_bounds(year, month)
    ratings = CitizenRating.objects.filter(receipt__issued_on__range=(first, last))
    if before is not None:
        ratings = ratings.filter(created_at__lt=before)
    return Receipt.objects.filter(issued_on__range=(first, last)), ratings


def tally(receipts: QuerySet, ratings: QuerySet, key: str | None = None) -> dict:
    """Receipts and ratings counted per ``key`` of the receipt (one group, None, when None).

    Two grouped queries. ``ratings`` must be filtered on the same receipts. This is the
    one count of receipts and ratings: the sheets' satisfaction line, the desk dashboard,
    the monthly report and the desks' receipt counts all read it.
    """
    figures: dict = defaultdict(Figures)
    if key is None:
        figures[None].receipts = receipts.count()
    else:
        for row in receipts.values(key).annotate(n=Count("pk")).order_by():
            figures[row[key]].receipts = row["n"]
    group = [f"receipt__{key}"] if key else []
    rows = (
        ratings.values(*group, "question_set__scale", "overall")
        .annotate(n=Count("pk"), satisfied=Count("pk", filter=Q(satisfied=True)))
        .order_by()
    )
    for row in rows:
        entry = figures[row[group[0]] if group else None]
        entry.ratings += row["n"]
        entry.satisfied += row["satisfied"]
        level = (row["question_set__scale"], row["overall"])
        entry.scale_levels[level] = entry.scale_levels.get(level, 0) + row["n"]
    return dict(figures)


def month_figures(
    year: int, month: int, by: str, before: datetime.datetime | None = None
) -> dict[int, Figures]:
    """Figures of one month grouped ``by`` "officer", "desk" or "unit"."""
    return tally(*month_querysets(year, month, before), GROUPINGS[by])


def officer_units(staff_ids) -> dict[int, int]:
    """The unit of the desk each officer serves at (the first, when several)."""
    through = ServiceDesk.officers.through
    units: dict[int, int] = {}
    rows = (
        through.objects.filter(staff_id__in=list(staff_ids))
        .values_list("staff_id", "servicedesk__unit_id")
        .order_by("staff_id", "servicedesk__code")
    )
    for staff_id, unit_id in rows:
        units.setdefault(staff_id, unit_id)
    return units


def satisfaction_inputs(
    staff_ids,
    year: int,
    month: int,
    rule: engine.SatisfactionRule | None = None,
    before: datetime.datetime | None = None,
) -> dict[int, engine.SatisfactionInput]:
    """The citizen-satisfaction input of each officer's sheet for the month.

    People who serve at no desk get none (their sets have no such line). ``before``
    as in :func:`month_figures`; closing a month counts everything.
    """
    rule = rule or engine.DEFAULT_SATISFACTION_RULE
    units = officer_units(staff_ids)
    if not units:
        return {}
    by_officer = month_figures(year, month, "officer", before)
    by_unit = month_figures(year, month, "unit", before)
    inputs = {}
    for staff_id, unit_id in units.items():
        own = by_officer.get(staff_id, Figures()).count
        unit = by_unit.get(unit_id, Figures()).count
        ratio, why = engine.satisfaction_ratio(own, unit, rule)
        inputs[staff_id] = engine.SatisfactionInput(ratio=ratio, explanation=why)
    return inputs


def default_scale(day: datetime.date) -> int:
    question_set = QuestionSet.in_force(day)
    return question_set.scale if question_set else 3


# --- What the admin pages show -----------------------------------------------------


def desk_figures(desk: ServiceDesk, today: datetime.date, before=None) -> dict:
    """Today's counts and the month's figures of one desk (four queries)."""
    receipts, ratings = month_querysets(today.year, today.month, before)
    start, end = day_bounds(today)
    month = tally(receipts.filter(desk=desk), ratings.filter(receipt__desk=desk))[None]
    return {
        "today_receipts": Receipt.objects.filter(desk=desk, issued_on=today).count(),
        "today_ratings": CitizenRating.objects.filter(
            receipt__desk=desk, created_at__gte=start, created_at__lt=end
        ).count(),
        "month": month,
    }


def officer_figures(person: Staff, today: datetime.date, before=None) -> Figures:
    """The officer's own month at every desk, as their sheet counts it (two queries)."""
    receipts, ratings = month_querysets(today.year, today.month, before)
    return tally(receipts.filter(officer=person), ratings.filter(receipt__officer=person))[None]


def approved_comments(desk: ServiceDesk, today: datetime.date, limit: int = 5) -> list[str]:
    """The month's approved comments of a desk: the text alone, no date, level or dossier."""
    first, last = month_bounds(today.year, today.month)
    return list(
        CitizenRating.objects.filter(
            receipt__desk=desk,
            receipt__issued_on__range=(first, last),
            moderation=Moderation.APPROVED,
        )
        .exclude(comment="")
        .order_by("-pk")
        .values_list("comment", flat=True)[:limit]
    )


def parent_name(unit_path_field: str = "path") -> Subquery:
    """The name of the unit's parent in the tree (treebeard paths, fixed step length)."""
    step = Unit.steplen
    parent_path = Substr(OuterRef(unit_path_field), 1, Length(OuterRef(unit_path_field)) - step)
    return Subquery(Unit.objects.filter(path=parent_path).values("name")[:1])


def grouped_entities(by: str, scope: Scope, receipts: QuerySet) -> QuerySet:
    """The officers, desks or units of the rows: those with receipts, and current desks'."""
    desks = ServiceDesk.objects.filter(scope.q(), active=True)
    if by == "officer":
        at_desks = ServiceDesk.officers.through.objects.filter(servicedesk__in=desks)
        people = Staff.objects.filter(
            Q(pk__in=receipts.values("officer_id")) | Q(pk__in=at_desks.values("staff_id"))
        )
        return (
            with_current_post(people)
            .annotate(row_name=F("full_name"), row_unit=F("current_unit"))
            .order_by("full_name", "code")
        )
    if by == "desk":
        return (
            ServiceDesk.objects.filter(Q(pk__in=receipts.values("desk_id")) | Q(pk__in=desks))
            .annotate(row_name=F("name"), row_unit=F("unit__name"))
            .order_by("unit__path", "name")
        )
    return (
        Unit.objects.filter(
            Q(pk__in=receipts.values("desk__unit_id")) | Q(pk__in=desks.values("unit_id"))
        )
        .annotate(row_name=F("name"), row_unit=parent_name())
        .order_by("path")
    )


# --- What a desk officer may know about their desk's receipts -----------------------------

MIN_RECEIPTS_FOR_COUNTS = 10  # fewer receipts in a month: rating counts are not shown


@dataclass
class DeskCounts:
    """A desk's receipts this month and, when there are enough, how many were rated.

    Ratings are counted up to the end of yesterday, so the figure never moves while a
    citizen who has just left the counter rates.
    """

    desk: ServiceDesk
    receipts: int
    ratings: int | None

    @property
    def percent(self) -> int | None:
        if self.ratings is None or not self.receipts:
            return None
        return round(100 * self.ratings / self.receipts)


def desk_counts(desks: QuerySet[ServiceDesk], today: datetime.date) -> list[DeskCounts]:
    """Per desk: receipts issued this month and ratings received for them until yesterday.

    Nothing here tells an officer whether a given receipt was rated: an officer who could
    see "rated" next to a dossier code would know which citizen rated. The count of
    ratings is shown only once a desk has enough receipts for it to say nothing about
    any one citizen.
    """
    receipts, ratings = month_querysets(today.year, today.month, before=day_bounds(today)[0])
    desk_ids = desks.values("pk")
    figures = tally(
        receipts.filter(desk__in=desk_ids), ratings.filter(receipt__desk__in=desk_ids), "desk_id"
    )
    counts = []
    for desk in desks.order_by("name"):
        entry = figures.get(desk.pk, Figures())
        enough = entry.receipts >= MIN_RECEIPTS_FOR_COUNTS
        counts.append(DeskCounts(desk, entry.receipts, entry.ratings if enough else None))
    return counts


@dataclass(frozen=True)
class FewerThan:
    """A figure withheld because it counts fewer than ``minimum`` ratings."""

    minimum: int

    def __str__(self) -> str:
        return gettext("fewer than %(minimum)s") % {"minimum": self.minimum}


@dataclass
class FigureRow:
    """One officer's, desk's or unit's month of ratings, as the monthly report lists it.

    ``row_unit`` is the unit of an officer or a desk, or the parent of a unit. The share
    of each answer level reads as ``share_<level word>`` (a percentage, None when there is
    nothing to divide), so a table or an export can name it as a column.
    """

    pk: int
    code: str
    row_name: str
    row_unit: str | None
    figures: Figures
    minimum: int = 0  # fewer ratings than this: the figures about them are withheld

    @property
    def withheld(self) -> bool:
        return 0 < self.figures.ratings < self.minimum

    def _shown(self, value):
        return FewerThan(self.minimum) if self.withheld else value

    @property
    def row_receipts(self) -> int:
        return self.figures.receipts

    @property
    def row_ratings(self):
        return self._shown(self.figures.ratings)

    @property
    def row_response_rate(self):
        return self._shown(percent(self.figures.response_rate))

    @property
    def row_ratio(self):
        return self._shown(percent(self.figures.ratio))

    def __getattr__(self, name: str):
        if name.startswith("share_") and name[6:] in LEVEL_WORDS:
            return self._shown(percent(self.figures.word_share(name[6:])))
        raise AttributeError(name)


@dataclass
class MonthReport:
    """The month's rows and the answer levels they are counted in (3, or 5 when used)."""

    rows: list[FigureRow]
    level_keys: list[str]


def month_report(year: int, month: int, by: str, scope: Scope) -> MonthReport:
    """Every officer, desk or unit ``scope`` may follow, with its month of ratings.

    Four queries whatever the number of rows: the receipts and ratings tallies, the rows,
    and nothing per row.
    """
    receipts, ratings = month_querysets(year, month, scope.ratings_before)
    receipts = receipts.filter(scope.q("desk__"))
    ratings = ratings.filter(scope.q("receipt__desk__"))
    figures = tally(receipts, ratings, GROUPINGS[by])
    rows = [
        FigureRow(
            entity.pk,
            getattr(entity, "code", ""),
            entity.row_name,
            entity.row_unit,
            figures.get(entity.pk, Figures()),
            scope.minimum,
        )
        for entity in grouped_entities(by, scope, receipts)
    ]
    scales = set().union(*(entry.scales for entry in figures.values()))
    keys = words_in_use(scales or {default_scale(month_bounds(year, month)[0])})
    return MonthReport(rows, keys)
