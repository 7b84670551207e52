"""Classification on bands (Decree 335/2025/NĐ-CP: 90 / 70 / 50)."""

from decimal import Decimal

import pytest

from scoring.engine import DEFAULT_BANDS, Band, Level, band_for, classify, level_label
from tests.scoring.engine import _vietnamese_by_default  # noqa: F401 (overrides tests/conftest.py)


@pytest.mark.parametrize(
    ("total", "level"),
    [
        ("100", 1),
        ("90", 1),
        ("89.99", 2),
        ("70", 2),
        ("69.99", 3),
        ("50", 3),
        ("49.99", 4),
        ("0", 4),
    ],
)
def test_exact_band_minimums_land_in_the_upper_band(total: str, level: int) -> None:
    result = classify(Decimal(total), DEFAULT_BANDS)
    assert result.level == level
    assert result.explanation


def test_92_points_with_forced_failure_is_level_4() -> None:
    result = classify(Decimal("92"), DEFAULT_BANDS, forced_failure=True)
    assert result.level == Level.FAILURE
    assert result.explanation


def test_a_cap_level_caps_a_95_point_total_at_the_cap() -> None:
    result = classify(Decimal("95"), DEFAULT_BANDS, cap_level=Level.GOOD)
    assert result.level == Level.GOOD
    assert result.explanation


def test_a_cap_worse_than_the_points_level_does_not_improve_it() -> None:
    assert classify(Decimal("40"), DEFAULT_BANDS, cap_level=Level.GOOD).level == Level.FAILURE


def test_bands_are_data_and_order_does_not_matter() -> None:
    letters = [
        Band(4, Decimal(0)),
        Band(1, Decimal(85)),
        Band(3, Decimal(40)),
        Band(2, Decimal(65)),
    ]
    assert classify(Decimal(85), letters).level == 1
    assert classify(Decimal("64.99"), letters).level == 3


def test_a_total_below_every_minimum_falls_in_the_worst_band() -> None:
    bands = [Band(1, Decimal(90)), Band(2, Decimal(50))]
    assert band_for(Decimal(10), bands).level == 2


def test_classify_needs_at_least_one_band() -> None:
    with pytest.raises(ValueError):
        classify(Decimal(50), [])


def test_every_level_has_a_label() -> None:
    labels = {level_label(level) for level in Level}
    assert len(labels) == 4
    assert "5" in level_label(5)
