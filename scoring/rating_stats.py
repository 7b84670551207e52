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

from django.db.models import Count, Q
from django.utils import timezone

from scoring import engine
from scoring.models import CitizenRating, Receipt, ServiceDesk
from scoring.routing import month_bounds

GROUPINGS = {"officer": "officer_id", "desk": "desk_id", "unit": "desk__unit_id"}


@dataclass
class Figures:
    """One officer's, desk's or unit's month of ratings."""

    receipts: int = 0
    ratings: int = 0
    satisfied: int = 0
    levels: dict[int, int] = field(default_factory=dict)

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


def month_figures(
    year: int, month: int, by: str, before: datetime.datetime | None = None
) -> dict[int, Figures]:
    """Figures of one month grouped ``by`` "officer", "desk" or "unit".

    ``before`` leaves out ratings made from that moment on (see :func:`start_of_today`).
    """
    key = GROUPINGS[by]
    first, last = month_bounds(year, month)
    figures: dict[int, Figures] = defaultdict(Figures)
    receipts = (
        Receipt.objects.filter(issued_on__range=(first, last))
        .values(key)
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in receipts:
        figures[row[key]].receipts = row["n"]
    ratings = CitizenRating.objects.filter(receipt__issued_on__range=(first, last))
    if before is not None:
        ratings = ratings.filter(created_at__lt=before)
    ratings = (
        ratings.values(f"receipt__{key}", "overall")
        .annotate(n=Count("pk"), satisfied=Count("pk", filter=Q(satisfied=True)))
        .order_by()
    )
    for row in ratings:
        entry = figures[row[f"receipt__{key}"]]
        entry.ratings += row["n"]
        entry.satisfied += row["satisfied"]
        entry.levels[row["overall"]] = entry.levels.get(row["overall"], 0) + row["n"]
    return dict(figures)


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
