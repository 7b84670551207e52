"""Plain value types for the scoring engine (no ORM, no request, no Wagtail).

Inputs describe one monthly (or quarterly) evaluation sheet as Decree 335/2025/NĐ-CP
frames it: up to 30 points of general criteria, up to 70 points of task results, plus the
bonus/deduction lines some localities add (Hà Nội 3814-QĐ/TU). Outputs are the points per
line, the total and the classification level.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import NamedTuple, TypeAlias


class CriterionKind(StrEnum):
    """How a sheet line gets its points."""

    MANUAL = "manual"  # points entered by the person or the evaluator
    BONUS = "bonus"  # entered, added to the total
    DEDUCTION = "deduction"  # entered as a positive number, subtracted from the total
    TASK_RESULT = "task_result"  # computed from the month's work items
    CITIZEN_SATISFACTION = "citizen_satisfaction"  # computed from a satisfaction ratio
    UNIT_RESULT = "unit_result"  # computed from the levels of the people a leader manages


class Level(IntEnum):
    """Classification levels (Decree 335/2025/NĐ-CP, Decree 90/2020); lower is better."""

    EXCELLENT = 1  # Hoàn thành xuất sắc nhiệm vụ (A)
    GOOD = 2  # Hoàn thành tốt nhiệm vụ (B)
    COMPLETION = 3  # Hoàn thành nhiệm vụ (C)
    FAILURE = 4  # Không hoàn thành nhiệm vụ (D)


@dataclass(frozen=True, slots=True)
class Band:
    """A classification band: a total of at least ``minimum`` points earns ``level``."""

    level: int
    minimum: Decimal


@dataclass(frozen=True, slots=True)
class WorkItemInput:
    """One registered work product of the month (đăng ký công việc hằng tháng).

    ``weight`` is the catalogue conversion weight (quy đổi: a decision 1.0, a report 0.5),
    ``quantity`` how many were assigned; the converted amount is weight × quantity.
    ``delays`` and ``major_errors`` count late deliveries and reviews failed for a major
    error; ``objective_cause`` means an accepted objective cause waives both penalties.
    """

    weight: Decimal
    quantity: Decimal
    done: bool
    delays: int = 0
    major_errors: int = 0
    objective_cause: bool = False


@dataclass(frozen=True, slots=True)
class TaskResultInput:
    """Inputs of a task_result line: the month's registered work items."""

    items: Sequence[WorkItemInput] = ()


@dataclass(frozen=True, slots=True)
class UnitResultInput:
    """Inputs of a unit_result line: the levels of everyone the leader manages.

    An empty sequence means the leader manages nobody.
    """

    staff_levels: Sequence[int] = ()


@dataclass(frozen=True, slots=True)
class SatisfactionInput:
    """Inputs of a citizen_satisfaction line: satisfied answers / all answers, 0..1.

    ``ratio`` is None when no figure is available (no ratings, portal not connected); the
    line is then skipped. ``explanation`` says where the ratio came from, when the
    caller chose it by a rule (see :func:`scoring.engine.satisfaction_ratio`).
    """

    ratio: Decimal | None = None
    explanation: str | None = None


ComputedValue: TypeAlias = TaskResultInput | UnitResultInput | SatisfactionInput


@dataclass(frozen=True, slots=True)
class LineInput:
    """One line of an evaluation sheet.

    ``points`` is what was entered for manual/bonus/deduction lines (None = not entered;
    deductions are entered as positive numbers). ``is_discipline`` marks a deduction for
    a reprimand or heavier discipline, which forces failure (Decree 335/2025/NĐ-CP).
    ``computed`` carries the inputs of computed kinds.
    """

    code: str
    kind: CriterionKind
    max_points: Decimal
    points: Decimal | None = None
    is_discipline: bool = False
    computed: ComputedValue | None = None


@dataclass(frozen=True, slots=True)
class LineResult:
    """Scored line: ``points`` awarded as shown (≥ 0, rounded to 0.01), ``exact`` the
    same unrounded, and ``contribution``, the exact signed amount counted in the total
    (negative for deductions). ``needs_hand_score`` marks a computed line that its
    inputs cannot compute (a task-result line without a work plan): it counts 0 until
    the evaluator scores it by hand, with a reason."""

    code: str
    kind: CriterionKind
    points: Decimal
    max_points: Decimal
    explanation: str
    skipped: bool = False
    contribution: Decimal = Decimal(0)
    exact: Decimal = Decimal(0)
    needs_hand_score: bool = False


class LineError(NamedTuple):
    """A validation problem on the line with ``code`` (a plain (code, message) pair)."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Classification:
    """Result of classifying a total: the level and why."""

    level: int
    explanation: str


@dataclass(frozen=True, slots=True)
class SheetResult:
    """A scored sheet: lines, total, level and validation errors.

    ``exact_total`` is the unrounded sum of the lines, within 0 and the set's maximum;
    the level is decided on it. ``total`` is what is shown and stored: two decimals,
    rounded half up unless that would carry it across a band edge, in which case it is
    rounded down, so a shown total and its level always agree (89.9956 shows 89.99).
    """

    lines: list[LineResult]
    total: Decimal
    level: int
    level_explanation: str
    errors: list[LineError] = field(default_factory=list)
    exact_total: Decimal | None = None

    @property
    def lines_needing_hand_score(self) -> list[str]:
        """Codes of the computed lines that wait for the evaluator's hand score."""
        return [line.code for line in self.lines if line.needs_hand_score]
