"""Scoring whole sheets: Decree 335/2025/NĐ-CP 30 + 70, bonuses, deductions, leaders."""

from decimal import Decimal

from scoring.engine import (
    DEFAULT_BANDS,
    CriterionKind,
    Level,
    LineInput,
    SatisfactionInput,
    TaskResultInput,
    UnitResultInput,
    UnitResultRule,
    WorkItemInput,
    score_line,
    score_sheet,
    unit_result_ratio,
)
from tests.scoring.engine import _vietnamese_by_default  # noqa: F401 (overrides tests/conftest.py)

K = CriterionKind


def manual(code: str, maximum: str, points: str | None) -> LineInput:
    entered = None if points is None else Decimal(points)
    return LineInput(code, K.MANUAL, Decimal(maximum), entered)


def general(points: str = "30") -> list[LineInput]:
    """One manual line standing for the 30 general points."""
    return [manual("general", "30", points)]


def tasks(done: bool = True, count: int = 1) -> LineInput:
    items = tuple(WorkItemInput(Decimal(1), Decimal(1), done) for _ in range(count))
    return LineInput("tasks", K.TASK_RESULT, Decimal(70), computed=TaskResultInput(items))


def deduction(points: str, discipline: bool = False) -> LineInput:
    return LineInput("minus", K.DEDUCTION, Decimal(20), Decimal(points), is_discipline=discipline)


def bonus(points: str) -> LineInput:
    return LineInput("plus", K.BONUS, Decimal(10), Decimal(points))


def test_a_full_sheet_totals_100_and_is_excellent() -> None:
    result = score_sheet([*general(), tasks()], DEFAULT_BANDS)
    assert result.total == Decimal("100.00")
    assert result.level == Level.EXCELLENT
    assert result.errors == []
    assert all(line.explanation for line in result.lines)


def test_92_points_with_a_discipline_flagged_deduction_is_level_4() -> None:
    result = score_sheet([*general(), tasks(), bonus("2"), deduction("10", discipline=True)])
    assert result.total == Decimal("92.00")
    assert result.level == Level.FAILURE
    assert result.level_explanation


def test_a_plain_deduction_only_subtracts() -> None:
    result = score_sheet([*general(), tasks(), deduction("12.5")])
    assert result.total == Decimal("87.50")
    assert result.level == Level.GOOD
    assert result.lines[-1].points == Decimal("12.50")
    assert result.lines[-1].contribution == Decimal("-12.50")


def test_bonus_adds_to_the_total() -> None:
    result = score_sheet([*general("20"), tasks(), bonus("5")])
    assert result.total == Decimal("95.00")


def test_a_cap_level_caps_a_95_point_sheet_at_the_cap() -> None:
    result = score_sheet([*general("25"), tasks()], cap_level=Level.GOOD)
    assert result.total == Decimal("95.00")
    assert result.level == Level.GOOD
    assert result.level_explanation


def test_the_total_is_floored_at_zero() -> None:
    result = score_sheet([*general("0"), tasks(done=False), deduction("20")])
    assert result.total == Decimal("0.00")
    assert result.level == Level.FAILURE


def test_a_total_cap_is_applied_when_given() -> None:
    result = score_sheet([*general(), tasks(), bonus("10")], max_total=Decimal(100))
    assert result.total == Decimal("100.00")


def test_a_leader_one_of_whose_staff_fails_has_the_unit_result_line_at_50_percent() -> None:
    staff = UnitResultInput((1, 2, 3, 4))
    line = LineInput("unit", K.UNIT_RESULT, Decimal(10), computed=staff)
    result = score_line(line)
    assert result.points == Decimal("5.00")
    assert "1" in result.explanation and "4" in result.explanation


def test_a_leader_whose_staff_all_complete_has_the_full_unit_result() -> None:
    line = LineInput("unit", K.UNIT_RESULT, Decimal(10), computed=UnitResultInput((3, 3, 1)))
    assert score_line(line).points == Decimal("10.00")


def test_a_leader_who_manages_nobody_has_the_full_unit_result_with_an_explanation() -> None:
    ratio, explanation = unit_result_ratio(())
    assert ratio == 1
    assert explanation


def test_unit_result_ratios_are_data() -> None:
    strict = UnitResultRule(passing_level=2, any_fail_ratio=Decimal(0))
    assert unit_result_ratio((1, 3), strict)[0] == 0


def test_a_skipped_citizen_satisfaction_line_contributes_0_and_the_rest_still_totals() -> None:
    missing = LineInput("citizens", K.CITIZEN_SATISFACTION, Decimal(10))
    unknown = LineInput(
        "portal", K.CITIZEN_SATISFACTION, Decimal(10), computed=SatisfactionInput(None)
    )
    result = score_sheet([*general("25"), missing, tasks(), unknown])
    skipped = [line for line in result.lines if line.skipped]
    assert [line.code for line in skipped] == ["citizens", "portal"]
    assert all(line.points == 0 and line.explanation for line in skipped)
    assert result.total == Decimal("95.00")
    assert result.errors == []


def test_a_citizen_satisfaction_ratio_scales_the_line_maximum() -> None:
    line = LineInput(
        "citizens", K.CITIZEN_SATISFACTION, Decimal(18), computed=SatisfactionInput(Decimal("0.9"))
    )
    result = score_line(line)
    assert result.points == Decimal("16.20")
    assert not result.skipped


def test_a_manual_line_not_entered_counts_zero_and_is_reported() -> None:
    result = score_sheet([manual("ethics", "10", None), manual("culture", "20", "18"), tasks()])
    assert result.total == Decimal("88.00")
    assert [error.code for error in result.errors] == ["ethics"]


def test_entered_points_out_of_range_are_limited_and_reported() -> None:
    result = score_sheet([manual("ethics", "10", "12"), manual("culture", "20", "-3")])
    assert [line.points for line in result.lines] == [Decimal("10.00"), Decimal("0.00")]
    assert {error.code for error in result.errors} == {"ethics", "culture"}


def test_a_computed_line_without_inputs_is_skipped_and_reported() -> None:
    line = LineInput("tasks", K.TASK_RESULT, Decimal(70))
    result = score_sheet([line])
    assert result.lines[0].skipped
    assert result.total == 0
    assert result.errors


def test_line_points_are_rounded_half_up_to_two_places() -> None:
    done, missed = (WorkItemInput(Decimal(1), Decimal(1), flag) for flag in (True, False))
    two_thirds = TaskResultInput((done, done, missed))
    line = LineInput("tasks", K.TASK_RESULT, Decimal(10), computed=two_thirds)
    assert score_line(line).points == Decimal("6.67")
    assert score_line(manual("ethics", "10", "7.125")).points == Decimal("7.13")
