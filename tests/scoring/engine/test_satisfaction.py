"""The citizen-satisfaction ratio: officer first, then the unit, then the maximum."""

from decimal import Decimal

from scoring.engine import RatingCount, satisfaction_ratio
from tests.scoring.engine import _vietnamese_by_default  # noqa: F401 (overrides tests/conftest.py)


def test_ten_ratings_make_the_officers_own_ratio_count():
    ratio, why = satisfaction_ratio(RatingCount(10, 8), RatingCount(100, 50))
    assert ratio == Decimal("0.8")
    assert why


def test_nine_ratings_fall_back_to_the_units_ratio():
    ratio, why = satisfaction_ratio(RatingCount(9, 9), RatingCount(40, 30))
    assert ratio == Decimal("0.75")
    assert "9" in why


def test_a_unit_with_nine_ratings_gives_the_maximum_and_says_why():
    ratio, why = satisfaction_ratio(RatingCount(3, 0), RatingCount(9, 0))
    assert ratio == Decimal("1")
    assert "9" in why


def test_exactly_ten_unit_ratings_count():
    ratio, _ = satisfaction_ratio(RatingCount(0, 0), RatingCount(10, 7))
    assert ratio == Decimal("0.7")


def test_no_ratings_at_all_gives_the_maximum():
    assert satisfaction_ratio(RatingCount(), RatingCount())[0] == Decimal("1")
