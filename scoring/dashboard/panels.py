"""The admin home's panel of the month's progress, for the office and unit heads.

The office sees every unit, a unit head the units they head and those below them
(:func:`scoring.access.policy.overseen_unit_paths`); anyone else gets no panel. The
figures are :func:`scoring.dashboard.progress.month_progress`'s; this module only lays
them out: a chart drawn here as inline SVG (no script, no library), and the same figures
as a table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.components import Component

from scoring.access.policy import overseen_unit_paths

from . import progress
from .progress import MonthProgress, UnitProgress

FLAGS_SHOWN = 5
UNITS_SHOWN = 8

# Stage, label and colour (each at least 4.5:1 on white, about 3:1 on Wagtail's dark
# theme; white gaps part the segments, so neighbours need not contrast with each other).
STAGES = (
    (progress.EVALUATED, gettext_lazy("Evaluated"), "#007a5a"),
    (progress.AWAITING_EVALUATION, gettext_lazy("Self-scored, awaiting evaluation"), "#0072b2"),
    (progress.PLANNED, gettext_lazy("Plan registered, not self-scored"), "#b35900"),
    (progress.NOT_STARTED, gettext_lazy("No work plan yet"), "#c0392b"),
    (progress.ABSENT, gettext_lazy("Absent (excused)"), "#757575"),
)

# The chart's geometry, in the SVG's own units: it scales to the width it is given.
WIDTH = 340
ROW = 38  # a label line above a bar, and the gap below it
BAR = 14
LABEL_BASELINE = 13
NAME_LENGTH = 40


@dataclass(frozen=True)
class Segment:
    """One stage's share of a unit's bar."""

    stage: str
    label: str
    colour: str
    count: int
    percent: Decimal
    x: Decimal
    width: Decimal


@dataclass(frozen=True)
class Bar:
    """One unit's row of the chart (the first row is the total, keyed "total")."""

    key: str
    name: str
    short_name: str
    sheets: int
    evaluated: int
    label_y: int
    bar_y: int
    segments: list[Segment]
    is_total: bool = False


def _rounded(value: Decimal, places: str = "0.01") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _short(name: str) -> str:
    return name if len(name) <= NAME_LENGTH else name[: NAME_LENGTH - 1].rstrip() + "…"


def segments(row: UnitProgress) -> list[Segment]:
    """The stages of a unit's sheets as lengths along the bar, empty stages left out; the
    last one ends at the bar's end whatever the rounding."""
    made, x, left = [], Decimal(0), row.sheets
    for stage, label, colour in STAGES:
        count = row.stages[stage]
        if not count:
            continue
        left -= count
        share = Decimal(count) / Decimal(row.sheets)
        width = _rounded(share * WIDTH) if left else WIDTH - x
        made.append(
            Segment(stage, str(label), colour, count, _rounded(share * 100, "0.1"), x, width)
        )
        x += width
    return made


def bars(figures: MonthProgress) -> list[Bar]:
    """The total, then each unit in tree order."""
    rows = [(figures.total, True), *((unit, False) for unit in figures.units)]
    made = []
    for index, (row, is_total) in enumerate(rows):
        name = str(gettext_lazy("All units shown")) if is_total else row.name
        top = index * ROW
        made.append(
            Bar(
                "total" if is_total else str(row.unit_id),
                name,
                _short(name),
                row.sheets,
                row.evaluated,
                top + LABEL_BASELINE,
                top + LABEL_BASELINE + 5,
                segments(row),
                is_total,
            )
        )
    return made


def month_report_url(figures: MonthProgress, unit: UnitProgress) -> str:
    return f"{reverse('scoring_oversight_month')}?period={figures.period.pk}&unit={unit.unit_id}"


def unit_links(figures: MonthProgress, units: list[UnitProgress]) -> list[dict]:
    return [{"unit": unit, "url": month_report_url(figures, unit)} for unit in units[:UNITS_SHOWN]]


class ProgressPanel(Component):
    """This month's progress per unit, with its chart and data table, the open flags and
    what is late."""

    name = "scoring_progress"
    order = 60
    template_name = "scoring/dashboard/progress_panel.html"

    class Media:
        css = {"all": ["css/dashboard_admin.css"]}

    def __init__(self, request, unit_paths: tuple[str, ...] | None):
        self.request = request
        self.unit_paths = unit_paths

    def get_context_data(self, parent_context=None):
        period = progress.this_month()
        if period is None:
            return {"period": None}
        figures = progress.month_progress(period, self.unit_paths)
        chart = bars(figures)
        objectivity = reverse("scoring_oversight_objectivity") + f"?period={period.pk}"
        return {
            "period": period,
            "figures": figures,
            "every_unit": self.unit_paths is None,
            "bars": chart,
            "stages": [{"label": label, "colour": colour} for _stage, label, colour in STAGES],
            "chart_width": WIDTH,
            "chart_height": len(chart) * ROW,
            "bar_height": BAR,
            "rows": [
                {"unit": unit, "url": month_report_url(figures, unit)} for unit in figures.units
            ],
            "flags": figures.flags[:FLAGS_SHOWN],
            "flags_more": max(len(figures.flags) - FLAGS_SHOWN, 0),
            "flags_url": objectivity,
            "overdue_units": unit_links(figures, figures.overdue_units),
            "overdue_more": max(len(figures.overdue_units) - UNITS_SHOWN, 0),
            "late_units": unit_links(figures, figures.late_units),
            "late_more": max(len(figures.late_units) - UNITS_SHOWN, 0),
            "month_report_url": reverse("scoring_oversight_month") + f"?period={period.pk}",
        }


def progress_panels(request) -> list[ProgressPanel]:
    """The panel for the office and unit heads; nothing for anyone else."""
    unit_paths = overseen_unit_paths(request.user)
    if unit_paths == ():
        return []
    return [ProgressPanel(request, unit_paths)]
