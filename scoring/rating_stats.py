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
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from scoring import engine
from scoring.models import CitizenRating, Receipt, ServiceDesk
from scoring.routing import month_bounds

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


def tally(receipts: QuerySet, ratings: QuerySet, key: str | None = None, kind=Figures) -> dict:
    """Receipts and ratings counted per ``key`` of the receipt (one group, None, when None).

    Two grouped queries. ``ratings`` must be filtered on the same receipts; ``kind`` is
    the :class:`Figures` class to fill.
    """
    figures: dict = defaultdict(kind)
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


def start_of_today() -> datetime.datetime:
    """Midnight today, local time.

    While a month is open, the figures people see stop there: an officer reloading
    their sheet after each citizen could otherwise tell how that citizen answered.
    """
    return timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))


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
