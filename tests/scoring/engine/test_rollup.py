"""Quarters and years from months: exact means on the bands, absences left out."""

from decimal import Decimal
from fractions import Fraction

from scoring.engine import Level
from scoring.engine.rollup import (
    MonthInput,
    MonthStatus,
    RollupBasis,
    RollupRule,
    as_decimal,
    failing_run,
    roll_up_quarter,
    roll_up_year,
)
from tests.scoring.engine import _vietnamese_by_default  # noqa: F401 (overrides tests/conftest.py)

D = Decimal


def counted(month: int, total: str, level: int | None = None) -> MonthInput:
    if level is None:
        value = D(total)
        level = 1 if value >= 90 else 2 if value >= 70 else 3 if value >= 50 else 4
    return MonthInput(month, MonthStatus.COUNTED, D(total), level)


def test_a_quarter_of_85_91_and_72_is_82_67_and_good() -> None:
    result = roll_up_quarter([counted(1, "85"), counted(2, "91"), counted(3, "72")])
    assert result.counted == (1, 2, 3)
    assert result.total == D("82.67")
    assert result.mean is not None and Fraction(result.mean) < Fraction(248, 3)
    assert result.level == Level.GOOD


def test_a_month_absent_for_good_cause_is_left_out_of_the_mean() -> None:
    months = [counted(m, "80") for m in range(1, 13) if m != 5]
    months.insert(4, MonthInput(5, MonthStatus.ABSENT))
    months[0] = counted(1, "91")
    result = roll_up_year(months)
    assert result.counted == (1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12)
    assert result.left_out == ((5, MonthStatus.ABSENT),)
    assert result.total == D("81.00")  # (91 + 10 × 80) / 11; counting May as 0 gives 74.25
    assert result.level == Level.GOOD


def test_a_month_not_evaluated_yet_is_left_out_as_pending() -> None:
    result = roll_up_quarter([counted(10, "95"), MonthInput(11, MonthStatus.PENDING)])
    assert result.total == D("95.00")
    assert result.left_out == ((11, MonthStatus.PENDING),)


def test_the_mean_is_never_rounded_up_across_a_band_edge() -> None:
    # Three months whose mean is 89.9956 exactly: shown 89.99, and "good".
    result = roll_up_quarter([counted(1, "89.99"), counted(2, "90.00"), counted(3, "89.9968")])
    assert result.mean == D("89.9956")
    assert result.total == D("89.99")
    assert result.level == Level.GOOD


def test_a_mean_of_exactly_90_is_excellent() -> None:
    result = roll_up_quarter([counted(1, "89.5"), counted(2, "90.5"), counted(3, "90")])
    assert result.total == D("90.00")
    assert result.level == Level.EXCELLENT


def test_a_repeating_mean_just_under_an_edge_stays_under_it() -> None:
    # (89.99 + 90 + 90) / 3 = 89.99666…: shown 89.99, good, not 90.00.
    result = roll_up_quarter([counted(1, "89.99"), counted(2, "90"), counted(3, "90")])
    assert result.total == D("89.99")
    assert result.level == Level.GOOD


def test_cutting_a_fraction_never_goes_above_it() -> None:
    for value in (Fraction(248, 3), Fraction(-1, 3), Fraction(269999, 3000), Fraction(90)):
        cut = as_decimal(value)
        assert Fraction(cut) <= value < Fraction(cut) + Fraction(1, 10**20)


def test_an_override_forces_failure_whatever_the_points() -> None:
    months = [counted(m, "95") for m in range(1, 13)]
    result = roll_up_year(months, override="Khiển trách")
    assert result.total == D("95.00")
    assert result.level == Level.FAILURE
    assert result.override == "Khiển trách"
    assert result.explanation == "Khiển trách"


def test_an_override_stands_even_without_a_counted_month() -> None:
    result = roll_up_year([MonthInput(1, MonthStatus.ABSENT)], override="Cảnh cáo")
    assert result.total is None
    assert result.level == Level.FAILURE


def test_a_year_with_no_counted_month_has_no_level() -> None:
    result = roll_up_year([MonthInput(1, MonthStatus.PENDING)])
    assert (result.total, result.level) == (None, None)


def test_a_year_may_be_the_mean_of_its_quarters() -> None:
    months = [counted(1, "100"), counted(4, "70"), counted(5, "70"), counted(6, "70")]
    by_months = roll_up_year(months)
    by_quarters = roll_up_year(months, RollupRule(basis=RollupBasis.QUARTERS))
    assert by_months.total == D("77.50")
    assert by_quarters.total == D("85.00")


def test_a_failed_month_may_bar_an_excellent_year_when_the_rule_says_so() -> None:
    months = [counted(m, "100") for m in range(1, 12)] + [counted(12, "40")]
    assert roll_up_year(months).level == Level.EXCELLENT
    strict = roll_up_year(months, RollupRule(failed_month_bars_excellent=True))
    assert strict.total == D("95.00")
    assert strict.level == Level.GOOD


def test_two_failing_quarters_in_a_row_are_found() -> None:
    assert failing_run([2, 4, 4, 3]) == 2
    assert failing_run([4, 4, 4, 4]) == 1
    assert failing_run([4, 2, 4, None]) is None
    assert failing_run([4, None, 4, 2]) is None
