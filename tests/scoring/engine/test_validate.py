"""Numeric validation of sheet lines."""

from decimal import Decimal

from scoring.engine import (
    CriterionKind,
    LineInput,
    SatisfactionInput,
    TaskResultInput,
    UnitResultInput,
    WorkItemInput,
    validate_lines,
)
from tests.scoring.engine import _vietnamese_by_default  # noqa: F401 (overrides tests/conftest.py)

K = CriterionKind


def line(code: str, kind: CriterionKind, points: str | None, maximum: str = "10") -> LineInput:
    entered = None if points is None else Decimal(points)
    return LineInput(code, kind, Decimal(maximum), entered)


def codes(lines: list[LineInput]) -> list[str]:
    return [error.code for error in validate_lines(lines)]


def test_validation_flags_points_above_max() -> None:
    errors = validate_lines([line("a", K.MANUAL, "10.01")])
    assert [error.code for error in errors] == ["a"]
    assert errors[0].message


def test_validation_flags_negative_points() -> None:
    assert codes([line("a", K.BONUS, "-1"), line("b", K.DEDUCTION, "-0.5")]) == ["a", "b"]


def test_validation_flags_a_manual_line_not_entered() -> None:
    assert codes([line("a", K.MANUAL, None)]) == ["a"]


def test_bonus_and_deduction_lines_may_stay_empty() -> None:
    assert codes([line("a", K.BONUS, None), line("b", K.DEDUCTION, None)]) == []


def test_points_at_zero_and_at_max_are_valid() -> None:
    assert codes([line("a", K.MANUAL, "0"), line("b", K.MANUAL, "10")]) == []


def test_errors_are_code_message_pairs() -> None:
    code, message = validate_lines([line("a", K.MANUAL, None)])[0]
    assert code == "a"
    assert message


def test_validation_flags_duplicate_codes_and_negative_maximum() -> None:
    assert codes([line("a", K.MANUAL, "1"), line("a", K.BONUS, None, maximum="-1")]) == [
        "a",
        "a",
    ]


def test_validation_flags_a_discipline_flag_outside_deductions() -> None:
    flagged = LineInput("a", K.BONUS, Decimal(10), Decimal(1), is_discipline=True)
    assert codes([flagged]) == ["a"]


def test_validation_flags_missing_or_malformed_computed_inputs() -> None:
    bad_item = WorkItemInput(Decimal(-1), Decimal(1), True, delays=-1)
    lines = [
        LineInput("t0", K.TASK_RESULT, Decimal(70)),
        LineInput("t1", K.TASK_RESULT, Decimal(70), computed=TaskResultInput((bad_item,))),
        LineInput("u", K.UNIT_RESULT, Decimal(10), computed=TaskResultInput()),
        LineInput("s", K.CITIZEN_SATISFACTION, Decimal(10), computed=SatisfactionInput(Decimal(2))),
    ]
    assert codes(lines) == ["t0", "t1", "t1", "u", "s"]


def test_empty_computed_inputs_are_valid() -> None:
    lines = [
        LineInput("t", K.TASK_RESULT, Decimal(70), computed=TaskResultInput()),
        LineInput("u", K.UNIT_RESULT, Decimal(10), computed=UnitResultInput()),
        LineInput("s", K.CITIZEN_SATISFACTION, Decimal(10)),
    ]
    assert codes(lines) == []
