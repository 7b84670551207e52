"""Task results the Decree 335/2025/NĐ-CP way: quantity, quality, timeliness."""

from decimal import Decimal

import pytest

from scoring.engine import (
    MEAN_FORMULA,
    TaskFormula,
    WorkItemInput,
    combined_ratio,
    kept_share,
    round_points,
    task_ratios,
    task_result_points,
)
from tests.scoring.engine import _vietnamese_by_default  # noqa: F401 (overrides tests/conftest.py)


def item(
    weight: str = "1",
    quantity: str = "1",
    done: bool = True,
    delays: int = 0,
    errors: int = 0,
    cause: bool = False,
) -> WorkItemInput:
    return WorkItemInput(Decimal(weight), Decimal(quantity), done, delays, errors, cause)


def mixed_plan() -> list[WorkItemInput]:
    """Decisions weigh 1.0, reports 0.5: 4 converted products assigned, 3 done."""
    return [
        item("1", "2"),
        item("0.5", "2", delays=1),
        item("1", "1", done=False),
    ]


def test_an_item_with_two_delays_keeps_half_its_timeliness_share() -> None:
    ratios = task_ratios([item(delays=2)])
    assert ratios.timeliness == Decimal("0.5")
    assert ratios.quality == 1
    assert ratios.quantity == 1


def test_an_accepted_objective_cause_keeps_the_whole_timeliness_share() -> None:
    ratios = task_ratios([item(delays=2, errors=1, cause=True)])
    assert ratios.timeliness == 1
    assert ratios.quality == 1


@pytest.mark.parametrize("errors", [4, 5, 12])
def test_four_major_errors_or_more_leave_no_quality_share_never_negative(errors: int) -> None:
    ratios = task_ratios([item(errors=errors)])
    assert ratios.quality == 0
    assert ratios.timeliness == 1


def test_three_major_errors_keep_a_quarter_of_the_quality_share() -> None:
    assert task_ratios([item(errors=3)]).quality == Decimal("0.25")


def test_an_item_not_done_has_no_quality_nor_timeliness_share() -> None:
    ratios = task_ratios([item(), item(done=False)])
    assert (ratios.quantity, ratios.quality, ratios.timeliness) == (Decimal("0.5"),) * 3


def test_shares_follow_conversion_weights() -> None:
    ratios = task_ratios(mixed_plan())
    assert ratios.assigned == 4
    assert ratios.done == 3
    assert ratios.quantity == Decimal("0.75")
    assert ratios.quality == Decimal("0.75")
    assert ratios.timeliness == Decimal("0.6875")


def test_the_mean_formula_gives_the_expected_points_on_a_mixed_plan() -> None:
    points, explanation = task_result_points(mixed_plan(), Decimal(70), MEAN_FORMULA)
    assert round_points(points) == Decimal("51.04")
    assert "3" in explanation and "4" in explanation


def test_a_weighted_formula_gives_the_expected_points_on_a_mixed_plan() -> None:
    formula = TaskFormula(Decimal("0.5"), Decimal("0.3"), Decimal("0.2"))
    points, _ = task_result_points(mixed_plan(), Decimal(70), formula)
    assert points == Decimal("51.625")
    assert round_points(points) == Decimal("51.63")


def test_weights_need_not_sum_to_one() -> None:
    ratios = task_ratios(mixed_plan())
    scaled = TaskFormula(Decimal(5), Decimal(3), Decimal(2))
    assert combined_ratio(ratios, scaled) == Decimal("0.7375")


def test_no_registered_work_gives_zero_with_an_explanation() -> None:
    points, explanation = task_result_points([], Decimal(70))
    assert points == 0
    assert explanation


def test_zero_converted_amount_counts_as_no_registered_work() -> None:
    ratios = task_ratios([item(quantity="0")])
    assert (ratios.quantity, ratios.quality, ratios.timeliness) == (0, 0, 0)


def test_penalty_rates_are_data() -> None:
    harsh = TaskFormula(error_penalty=Decimal("0.5"), delay_penalty=Decimal("0.1"))
    ratios = task_ratios([item(errors=1, delays=3)], harsh)
    assert ratios.quality == Decimal("0.5")
    assert ratios.timeliness == Decimal("0.7")


def test_kept_share_ignores_negative_counts() -> None:
    assert kept_share(-2, Decimal("0.25")) == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"quantity_weight": Decimal(-1)},
        {
            "quantity_weight": Decimal(0),
            "quality_weight": Decimal(0),
            "timeliness_weight": Decimal(0),
        },
        {"error_penalty": Decimal("1.5")},
    ],
)
def test_a_malformed_formula_is_refused(kwargs: dict[str, Decimal]) -> None:
    with pytest.raises(ValueError):
        TaskFormula(**kwargs)
