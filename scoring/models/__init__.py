"""Every model of the ``scoring`` app, re-exported from the feature that owns it.

Django loads the app's models from here; code outside ``scoring`` (the public site,
benchmarks, tests) may import them from here too. Inside ``scoring`` each feature imports
models from their own package, so the doors between features stay visible.
"""

from scoring.calendar.models import Period, PeriodReopening
from scoring.contests.models import Contest
from scoring.criteria.models import (
    ClassificationBand,
    CriteriaSet,
    Criterion,
    CriterionGroup,
    LevelChoices,
    RollupBasisChoices,
    WorkProduct,
)
from scoring.cycle.models import (
    Absence,
    AbsenceReason,
    CriterionScore,
    Evaluation,
    MonthLock,
    UnitMonth,
    WorkItem,
)
from scoring.jobs.models import Job
from scoring.organisation.models import (
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
from scoring.oversight.models import DutyGroup, QuotaDecision, QuotaDecisionLine, QuotaRule
from scoring.publishing.models import Release
from scoring.ratings.models import CitizenRating, Question, QuestionSet, Receipt, ServiceDesk
from scoring.rollup.models import Discipline
from scoring.sheets.models import ColumnChoice

__all__ = [
    "Absence",
    "AbsenceReason",
    "Assignment",
    "ClassificationBand",
    "CitizenRating",
    "ColumnChoice",
    "Contest",
    "CriteriaSet",
    "Criterion",
    "DutyGroup",
    "CriterionGroup",
    "CriterionScore",
    "Discipline",
    "Evaluation",
    "Job",
    "LevelChoices",
    "RollupBasisChoices",
    "MonthLock",
    "Period",
    "Release",
    "PeriodReopening",
    "UnitMonth",
    "WorkItem",
    "WorkProduct",
    "Council",
    "EvaluationRule",
    "EvaluatorOverride",
    "Position",
    "Question",
    "QuotaDecision",
    "QuotaDecisionLine",
    "QuotaRule",
    "QuestionSet",
    "Receipt",
    "ServiceDesk",
    "Staff",
    "Unit",
    "UnitChange",
    "UnitKind",
]
