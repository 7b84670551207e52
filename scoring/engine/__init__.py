"""Pure arithmetic of an evaluation sheet (Decree 335/2025/NĐ-CP, Decree 90/2020,
Hà Nội 3814-QĐ/TU): plain values in, plain values out; no ORM, request or Wagtail."""

from .amounts import format_percent, format_points, round_points
from .classify import DEFAULT_BANDS, LEVEL_LABELS, band_for, classify, level_label, shown_total
from .satisfaction import (
    DEFAULT_SATISFACTION_RULE,
    RatingCount,
    SatisfactionRule,
    satisfaction_ratio,
)
from .sheet import has_discipline, score_line, score_sheet, sheet_total
from .tasks import (
    MEAN_FORMULA,
    TaskFormula,
    TaskRatios,
    combined_ratio,
    converted_amount,
    kept_share,
    task_ratios,
    task_result_points,
)
from .types import (
    Band,
    Classification,
    ComputedValue,
    CriterionKind,
    Level,
    LineError,
    LineInput,
    LineResult,
    SatisfactionInput,
    SheetResult,
    TaskResultInput,
    UnitResultInput,
    WorkItemInput,
)
from .unit import DEFAULT_UNIT_RULE, UnitResultRule, unit_result_ratio
from .validate import validate_lines

__all__ = [
    "shown_total",
    "DEFAULT_SATISFACTION_RULE",
    "RatingCount",
    "SatisfactionRule",
    "satisfaction_ratio",
    "DEFAULT_BANDS",
    "DEFAULT_UNIT_RULE",
    "LEVEL_LABELS",
    "MEAN_FORMULA",
    "Band",
    "Classification",
    "ComputedValue",
    "CriterionKind",
    "Level",
    "LineError",
    "LineInput",
    "LineResult",
    "SatisfactionInput",
    "SheetResult",
    "TaskFormula",
    "TaskRatios",
    "TaskResultInput",
    "UnitResultInput",
    "UnitResultRule",
    "WorkItemInput",
    "band_for",
    "classify",
    "combined_ratio",
    "converted_amount",
    "format_percent",
    "format_points",
    "has_discipline",
    "kept_share",
    "level_label",
    "round_points",
    "score_line",
    "score_sheet",
    "sheet_total",
    "task_ratios",
    "task_result_points",
    "unit_result_ratio",
    "validate_lines",
]
