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
from .ratings import CitizenRating, Question, QuestionSet, Receipt, ServiceDesk

__all__ = [
    "Assignment",
    "ClassificationBand",
    "CitizenRating",
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
    "Question",
    "QuestionSet",
    "Receipt",
    "ServiceDesk",
    "Staff",
    "Unit",
    "UnitChange",
    "UnitKind",
]
