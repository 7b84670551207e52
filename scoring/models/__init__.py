"""The domain's models, one module per concept."""

from .organisation import (
    Assignment,
    Council,
    EvaluationRule,
    EvaluatorOverride,
    Position,
    Staff,
    Unit,
    UnitChange,
    UnitKind,
)

__all__ = [
    "Assignment",
    "Council",
    "EvaluationRule",
    "EvaluatorOverride",
    "Position",
    "Staff",
    "Unit",
    "UnitChange",
    "UnitKind",
]
