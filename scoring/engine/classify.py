"""Classification (xếp loại) of a total on configured bands.

Decree 335/2025/NĐ-CP (same bands in party regulation 366-QĐ/TW and Hà Nội 3814-QĐ/TU):
90 and above excellent, 70 to under 90 good, 50 to under 70 completion, under 50
failure. Failure is forced whatever the points by a reprimand or heavier discipline in
the year; a cap level (e.g. a month with a violation, a quota) keeps the result from
being better than the cap.
"""

from collections.abc import Sequence
from decimal import Decimal

from .amounts import format_points, round_down, round_points
from .i18n import gettext as _
from .i18n import gettext_noop
from .types import Band, Classification, Level

DEFAULT_BANDS: tuple[Band, ...] = (
    Band(Level.EXCELLENT, Decimal(90)),
    Band(Level.GOOD, Decimal(70)),
    Band(Level.COMPLETION, Decimal(50)),
    Band(Level.FAILURE, Decimal(0)),
)

LEVEL_LABELS: dict[int, str] = {
    Level.EXCELLENT: gettext_noop("Excellent completion of tasks"),
    Level.GOOD: gettext_noop("Good completion of tasks"),
    Level.COMPLETION: gettext_noop("Completion of tasks"),
    Level.FAILURE: gettext_noop("Failure to complete tasks"),
}


LEVEL_SHORT: dict[int, str] = {
    Level.EXCELLENT: gettext_noop("Excellent"),
    Level.GOOD: gettext_noop("Good"),
    Level.COMPLETION: gettext_noop("Completed"),
    Level.FAILURE: gettext_noop("Not completed"),
}


def level_short(level: int) -> str:
    """The level's short name for a table's heading (HTXSNV, HTTNV, HTNV, KHTNV)."""
    label = LEVEL_SHORT.get(level)
    return _(label) if label else str(level)


def level_label(level: int) -> str:
    """Translated name of a level (1 Hoàn thành xuất sắc nhiệm vụ … 4 Không hoàn thành
    nhiệm vụ); unknown levels read "Level N"."""
    label = LEVEL_LABELS.get(level)
    if label is None:
        return _("Level %(level)s") % {"level": level}
    return _(label)


def band_for(total: Decimal, bands: Sequence[Band]) -> Band:
    """The best band whose minimum is ≤ ``total`` (exactly 90 is in the 90 band).

    A total below every minimum falls in the worst (highest-numbered) band. Raises
    ValueError when ``bands`` is empty.
    """
    if not bands:
        raise ValueError("At least one classification band is required.")
    eligible = [band for band in bands if band.minimum <= total]
    if not eligible:
        return max(bands, key=lambda band: band.level)
    return min(eligible, key=lambda band: band.level)


def shown_total(exact: Decimal, bands: Sequence[Band] = DEFAULT_BANDS) -> Decimal:
    """A total as shown and stored: 2 decimals, never rounded up across a band edge.

    Half up (87.125 -> 87.13) unless that lands in a better band than the exact value,
    then down (89.9956 -> 89.99, 89.995 -> 89.99): the shown figure and the level decided
    on the exact value always agree. The same rule serves sheets and quarter or year
    means.
    """
    rounded = round_points(exact)
    if band_for(rounded, bands).level != band_for(exact, bands).level:
        return round_down(exact)
    return rounded


def _explain_points(total: Decimal, band: Band) -> str:
    """Why the points alone give ``band``."""
    return _("%(total)s points: %(label)s (from %(minimum)s points)") % {
        "total": format_points(total),
        "label": level_label(band.level),
        "minimum": format_points(band.minimum),
    }


def classify(
    total: Decimal,
    bands: Sequence[Band] = DEFAULT_BANDS,
    forced_failure: bool = False,
    cap_level: int | None = None,
) -> Classification:
    """Level (1 best … 4 failure) of a sheet total in points, with an explanation.

    ``forced_failure`` (a reprimand or heavier discipline, Decree 335/2025/NĐ-CP) gives
    the worst band's level whatever the points; ``cap_level`` means the result cannot be
    better (numerically lower) than the cap.
    """
    band = band_for(total, bands)
    if forced_failure:
        worst = int(max(each.level for each in bands))
        text = _("Reprimand or heavier discipline: %(label)s whatever the points")
        return Classification(worst, text % {"label": level_label(worst)})
    explanation = _explain_points(shown_total(total, bands), band)
    if cap_level is not None and band.level < cap_level:
        capped = _("%(explanation)s; capped at %(label)s")
        values = {"explanation": explanation, "label": level_label(cap_level)}
        return Classification(int(cap_level), capped % values)
    return Classification(int(band.level), explanation)
