"""The domain's models, one module per concept."""

from .criteria import ClassificationBand, CriteriaSet, Criterion, CriterionGroup, LevelChoices
from .cycle import CriterionScore, Evaluation, Period, WorkItem, WorkProduct
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
    "ClassificationBand",
    "CriteriaSet",
    "Criterion",
    "CriterionGroup",
    "CriterionScore",
    "Evaluation",
    "LevelChoices",
    "Period",
    "WorkItem",
    "WorkProduct",
    "Council",
    "EvaluationRule",
    "EvaluatorOverride",
    "Position",
    "Staff",
    "Unit",
    "UnitChange",
    "UnitKind",
]
