"""Server-side charts: the geometry of small SVG charts, drawn by Django templates.

No library, no JavaScript, no inline style: each shape carries a CSS class
(``static/css/results.css`` colours it), so the pages keep a strict CSP. Every chart
has a text summary written from its data (for screen readers, as the SVG's
``<title>``) and its data table beside it. A suppressed figure (``None``: fewer than
the minimum, or hidden so it cannot be recovered) is drawn as a gap and labelled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from scoring.publishing.public import PeopleFigures, PublicDesk, PublicRelease

from .display import fewer_than

WIDTH = 680
LABEL_W = 200  # room for the bar's label on the left
PLOT_W = 360  # the bars' full length (100 %)
ROW_H = 34
BAR_H = 20
HUNDRED = Decimal(100)


def percent_text(value: Decimal | None) -> str:
    """A percentage as the charts' summaries and labels write it ("62,5 %")."""
    if value is None:
        return fewer_than()
    return f"{number_format(value, 1)} %"


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: ``width`` 0 and ``gap`` True when the figure is hidden."""

    label: str
    value: Decimal | None
    y: int
    width: int
    css: str
    extra: str = ""  # e.g. the count behind a share, or the number of ratings

    @property
    def gap(self) -> bool:
        return self.value is None

    @property
    def text(self) -> str:
        return percent_text(self.value)

    @property
    def text_y(self) -> int:
        return self.y + BAR_H - 5

    @property
    def value_x(self) -> int:
        return LABEL_W + self.width + 8


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars on a 0–100 % scale, one per row."""

    id: str
    title: str
    summary: str
    bars: list[Bar]
    label_w: int = LABEL_W
    plot_w: int = PLOT_W
    width: int = WIDTH

    @property
    def height(self) -> int:
        return max(ROW_H, len(self.bars) * ROW_H) + 6

    @property
    def bar_h(self) -> int:
        return BAR_H

    @property
    def plot_end(self) -> int:
        return self.label_w + self.plot_w


def _length(value: Decimal | None) -> int:
    if value is None:
        return 0
    return int((min(max(value, Decimal(0)), HUNDRED) * PLOT_W / HUNDRED).to_integral_value())


def _bars(rows: list[tuple[str, Decimal | None, str, str]]) -> list[Bar]:
    return [
        Bar(label, value, index * ROW_H + 4, _length(value), css, extra)
        for index, (label, value, css, extra) in enumerate(rows)
    ]


def _count_text(count: int | None) -> str:
    return fewer_than() if count is None else number_format(count)


def level_chart(chart_id: str, month: str, figures: PeopleFigures) -> BarChart:
    """The share of people at each level in ``month`` (the locality's or a unit's)."""
    rows = [
        (
            level.short,
            level.share,
            f"level-{level.level}",
            _("%(count)s people") % {"count": _count_text(level.count)},
        )
        for level in figures.levels
    ]
    parts = "; ".join(f"{level.label}: {percent_text(level.share)}" for level in figures.levels)
    summary = _("In %(month)s, of %(classified)s people classified: %(parts)s.") % {
        "month": month,
        "classified": _count_text(figures.classified),
        "parts": parts,
    }
    return BarChart(chart_id, _("Share of people at each level"), summary, _bars(rows))


def desk_chart(chart_id: str, month: str, desks: list[PublicDesk]) -> BarChart:
    """Citizens' satisfaction at each one-stop desk in ``month``."""
    rows = [
        (
            desk.name,
            desk.figures.satisfaction,
            "satisfaction",
            _("%(count)s ratings") % {"count": _count_text(desk.figures.ratings)},
        )
        for desk in desks
    ]
    parts = "; ".join(
        _("%(desk)s %(share)s of %(count)s ratings")
        % {
            "desk": desk.name,
            "share": percent_text(desk.figures.satisfaction),
            "count": _count_text(desk.figures.ratings),
        }
        for desk in desks
    )
    summary = _("In %(month)s, citizens satisfied at each desk: %(parts)s.") % {
        "month": month,
        "parts": parts or _("no desk"),
    }
    return BarChart(chart_id, _("Citizens' satisfaction per desk"), summary, _bars(rows))


# --- Trend over months ------------------------------------------------------------------

TOP, BOTTOM, LEFT, RIGHT = 12, 212, 44, 620


@dataclass(frozen=True)
class Point:
    x: int
    y: int
    value: Decimal | None


@dataclass(frozen=True)
class Series:
    """One line: its visible stretches (a hidden month breaks the line) and its points."""

    name: str
    css: str
    points: list[Point]

    @property
    def segments(self) -> list[str]:
        """SVG ``points`` strings of the stretches between hidden months."""
        runs: list[list[Point]] = [[]]
        for point in self.points:
            if point.value is None:
                runs.append([])
            else:
                runs[-1].append(point)
        return [" ".join(f"{p.x},{p.y}" for p in run) for run in runs if run]

    @property
    def dots(self) -> list[Point]:
        return [point for point in self.points if point.value is not None]


@dataclass(frozen=True)
class Tick:
    x: int
    label: str
    gaps: list[str] = field(default_factory=list)  # series hidden this month
    labelled: bool = True  # a long trend labels every other month, so labels never overlap


@dataclass(frozen=True)
class TrendChart:
    id: str
    title: str
    summary: str
    series: list[Series]
    ticks: list[Tick]
    width: int = WIDTH
    height: int = BOTTOM + 40
    top: int = TOP
    bottom: int = BOTTOM
    left: int = LEFT
    right: int = RIGHT

    @property
    def grid(self) -> list[tuple[int, int]]:
        """(y, percent) of the horizontal grid lines."""
        return [(self._y(Decimal(value)), value) for value in (0, 25, 50, 75, 100)]

    @staticmethod
    def _y(value: Decimal) -> int:
        clamped = min(max(value, Decimal(0)), HUNDRED)
        return int((BOTTOM - (BOTTOM - TOP) * clamped / HUNDRED).to_integral_value())

    @property
    def gap_y(self) -> int:
        return BOTTOM - 6

    @property
    def rows(self) -> list[tuple[str, list[Decimal | None]]]:
        """The data table: one row per month, one value per series."""
        return [
            (tick.label, [series.points[index].value for series in self.series])
            for index, tick in enumerate(self.ticks)
        ]


def _xs(count: int) -> list[int]:
    if count == 1:
        return [(LEFT + RIGHT) // 2]
    step = (RIGHT - LEFT - 60) / (count - 1)  # room for the first and last month's label
    return [int(LEFT + 30 + index * step) for index in range(count)]


def _point(x: int, value: Decimal | None) -> Point:
    return Point(x, TrendChart._y(value) if value is not None else BOTTOM, value)


def trend_chart(
    chart_id: str, months: list[tuple[str, PeopleFigures]], with_levels: bool = True
) -> TrendChart:
    """Satisfaction (and the share at each level) over ``months``, oldest first."""
    lines: list[tuple[str, str, list[Decimal | None]]] = [
        (_("Citizens satisfied"), "satisfaction", [f.satisfaction for _m, f in months])
    ]
    if with_levels and months:
        for index, level in enumerate(months[0][1].levels):
            values = [f.levels[index].share for _m, f in months]
            lines.append((level.short, f"level-{level.level}", values))
    xs = _xs(len(months))
    series = [
        Series(name, css, [_point(x, value) for x, value in zip(xs, values, strict=True)])
        for name, css, values in lines
    ]
    step = -(-len(months) // 6)  # at most six labelled months
    ticks = [
        Tick(
            x,
            key,
            [name for name, _c, values in lines if values[index] is None],
            (len(months) - 1 - index) % step == 0,
        )
        for index, (x, (key, _f)) in enumerate(zip(xs, months, strict=True))
    ]
    summary = " ".join(
        _("%(series)s by month: %(values)s.")
        % {
            "series": name,
            "values": ", ".join(
                f"{key} {percent_text(value)}"
                for (key, _f), value in zip(months, values, strict=True)
            ),
        }
        for name, _c, values in lines
    )
    return TrendChart(chart_id, _("Trend over the released months"), summary, series, ticks)


def release_trend(chart_id: str, releases: list[PublicRelease], last: int = 12) -> TrendChart:
    """The locality's trend over its ``last`` released months (given newest first)."""
    chosen = list(reversed(releases[:last]))
    return trend_chart(chart_id, [(release.key, release.locality) for release in chosen])
