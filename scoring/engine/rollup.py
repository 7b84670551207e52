"""Quarters and years from months: the mean of the months' final totals, on the bands.

Decree 335/2025/NĐ-CP: the year's class comes from the average of the monthly (or
quarterly) scores; time absent for good cause is left out (DOMAIN.md). How a quarter
derives from its months is unconfirmed, so the basis is a rule the criteria set carries:
the plain mean of the counted months (the default), or for a year the mean of its
quarters' means. Whether a period with a month at "Không hoàn thành nhiệm vụ" may still
be excellent is unconfirmed too: the rule can cap it at "good".

Arithmetic is exact: means are :class:`~fractions.Fraction` values, and the Decimal that
is classified and shown is the exact mean cut (never rounded up) to
:data:`MEAN_PLACES` decimals, which keeps it in the exact mean's band since every band
edge has two decimals. :func:`~scoring.engine.classify.shown_total` then shows it: 89.9956
is 89.99 and "good".
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, localcontext
from enum import StrEnum
from fractions import Fraction

from .classify import DEFAULT_BANDS, classify, shown_total
from .i18n import gettext as _
from .types import Band, Level

MEAN_PLACES = 20
QUARTERS = (1, 2, 3, 4)


class RollupBasis(StrEnum):
    """What a year's mean is taken over."""

    MONTHS = "months"  # the mean of every counted month of the year
    QUARTERS = "quarters"  # the mean of the means of the quarters with a counted month


class MonthStatus(StrEnum):
    """Whether a month counts in a quarter or year, and if not why."""

    COUNTED = "counted"  # evaluated (or frozen at close): its final total counts
    ABSENT = "absent"  # absent for good cause the whole month: left out
    PENDING = "pending"  # not evaluated yet: left out until it is


@dataclass(frozen=True, slots=True)
class MonthInput:
    """One month of a person's year: its number (1..12), status, final total and level."""

    month: int
    status: MonthStatus = MonthStatus.COUNTED
    total: Decimal | None = None
    level: int | None = None


@dataclass(frozen=True, slots=True)
class RollupRule:
    """How quarters and a year derive from months (a criteria set's configuration).

    ``failed_month_bars_excellent``: a quarter or year with a counted month at level 4
    can be no better than "good" (off by default: the regulations leave it open).
    """

    basis: RollupBasis = RollupBasis.MONTHS
    failed_month_bars_excellent: bool = False
    bands: Sequence[Band] = DEFAULT_BANDS


DEFAULT_ROLLUP_RULE = RollupRule()


@dataclass(frozen=True, slots=True)
class RollupResult:
    """A quarter's or a year's result.

    ``counted`` are the month numbers whose totals went into the mean, ``left_out`` the
    others with their status; ``mean`` is the exact mean (cut to :data:`MEAN_PLACES`
    decimals), ``total`` the mean as shown (two decimals, never rounded up across a band
    edge), both None when no month counts. ``level`` is None only when no month counts
    and nothing forces one. ``override`` says why the level was forced, if it was.
    """

    counted: tuple[int, ...]
    left_out: tuple[tuple[int, MonthStatus], ...]
    mean: Decimal | None
    total: Decimal | None
    level: int | None
    explanation: str
    override: str | None = None


def exact_mean(values: Sequence[Decimal | Fraction]) -> Fraction | None:
    """The exact arithmetic mean of ``values`` (None for none)."""
    if not values:
        return None
    return sum((Fraction(value) for value in values), Fraction(0)) / len(values)


def as_decimal(value: Fraction, places: int = MEAN_PLACES) -> Decimal:
    """``value`` cut (towards minus infinity) to ``places`` decimals, exactly.

    Cutting keeps the value in its band: an edge with two decimals is never crossed.
    """
    with localcontext() as context:
        context.prec = 60
        quotient = Decimal(value.numerator) / Decimal(value.denominator)
        floored = quotient.quantize(Decimal(1).scaleb(-places), rounding=ROUND_FLOOR)
        if Fraction(floored) > value:  # the division itself rounded up: step back
            floored -= Decimal(1).scaleb(-places)
    return floored


def quarter_of(month: int) -> int:
    """The quarter (1..4) a month (1..12) falls in."""
    return (month - 1) // 3 + 1


def _totals(months: Sequence[MonthInput]) -> list[Decimal]:
    return [m.total for m in months if m.total is not None]


def _split(months: Sequence[MonthInput]) -> tuple[list[MonthInput], list[MonthInput]]:
    counted = [m for m in months if m.status == MonthStatus.COUNTED and m.total is not None]
    left_out = [m for m in months if m not in counted]
    return counted, left_out


def _cap(counted: Sequence[MonthInput], rule: RollupRule) -> int | None:
    failed = any(m.level == Level.FAILURE for m in counted)
    return Level.GOOD if rule.failed_month_bars_excellent and failed else None


def _result(
    counted: Sequence[MonthInput],
    left_out: Sequence[MonthInput],
    mean: Fraction | None,
    rule: RollupRule,
    override: str | None,
) -> RollupResult:
    numbers = tuple(m.month for m in counted)
    skipped = tuple((m.month, m.status) for m in left_out)
    if mean is None:
        if override:
            worst = int(max(band.level for band in rule.bands))
            return RollupResult(numbers, skipped, None, None, worst, override, override)
        return RollupResult(numbers, skipped, None, None, None, _("No month evaluated yet"))
    exact = as_decimal(mean)
    classification = classify(exact, rule.bands, bool(override), _cap(counted, rule))
    explanation = override or classification.explanation
    return RollupResult(
        numbers,
        skipped,
        exact,
        shown_total(exact, rule.bands),
        classification.level,
        explanation,
        override,
    )


def roll_up_quarter(
    months: Sequence[MonthInput], rule: RollupRule = DEFAULT_ROLLUP_RULE
) -> RollupResult:
    """A quarter: the mean of its counted months' final totals, classified on the bands.

    Months absent for good cause or not evaluated yet are left out; a quarter with no
    counted month has no total and no level.
    """
    counted, left_out = _split(months)
    return _result(counted, left_out, exact_mean(_totals(counted)), rule, None)


def roll_up_year(
    months: Sequence[MonthInput],
    rule: RollupRule = DEFAULT_ROLLUP_RULE,
    override: str | None = None,
) -> RollupResult:
    """A year from its months, on ``rule``'s basis, classified on its bands.

    ``override`` (the reason, e.g. a reprimand in the year) forces the worst level
    whatever the points (Decree 335/2025/NĐ-CP).
    """
    counted, left_out = _split(months)
    if rule.basis == RollupBasis.QUARTERS:
        quarter_means = [
            exact_mean(_totals([m for m in counted if quarter_of(m.month) == q])) for q in QUARTERS
        ]
        mean = exact_mean([value for value in quarter_means if value is not None])
    else:
        mean = exact_mean(_totals(counted))
    return _result(counted, left_out, mean, rule, override)


def failing_run(levels: Sequence[int | None], run: int = 2) -> int | None:
    """Where ``run`` consecutive periods (in order, None = no result) at level 4 begin.

    Returns the 1-based number of the first period of the first such run (quarters 2 and
    3 failed: 2), or None. The attention list takes two failed quarters in a row.
    """
    streak = 0
    for number, level in enumerate(levels, start=1):
        streak = streak + 1 if level == Level.FAILURE else 0
        if streak >= run:
            return number - run + 1
    return None
