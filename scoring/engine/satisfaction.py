"""Which satisfaction ratio a desk officer's sheet uses, and why.

The ratio is the share of "satisfied" and "very satisfied" answers, as the national
public-service index counts it (Decision 766/QĐ-TTg, 2022). An officer's own ratio
counts once they have enough ratings in the month; below that their unit's ratio is
used; when the unit too has too few, the line takes its maximum and says so, so a
handful of ratings never decides anyone's score.
"""

from dataclasses import dataclass
from decimal import Decimal

from .amounts import format_percent
from .i18n import gettext as _

ONE = Decimal("1")


@dataclass(frozen=True, slots=True)
class RatingCount:
    """How many ratings there were, and how many of them were satisfied."""

    ratings: int = 0
    satisfied: int = 0

    @property
    def ratio(self) -> Decimal | None:
        if not self.ratings:
            return None
        return Decimal(self.satisfied) / Decimal(self.ratings)


@dataclass(frozen=True, slots=True)
class SatisfactionRule:
    """The least number of ratings a ratio needs before it counts (default 10)."""

    minimum_ratings: int = 10


DEFAULT_SATISFACTION_RULE = SatisfactionRule()


def satisfaction_ratio(
    officer: RatingCount, unit: RatingCount, rule: SatisfactionRule = DEFAULT_SATISFACTION_RULE
) -> tuple[Decimal, str]:
    """The ratio for the citizen-satisfaction line (0..1) and the reason for it."""
    enough = rule.minimum_ratings
    if officer.ratings >= enough:
        return officer.ratio, _(
            "%(ratio)s%% of %(count)s ratings satisfied (the officer's own ratings)"
        ) % {"ratio": format_percent(officer.ratio), "count": officer.ratings}
    if unit.ratings >= enough:
        return unit.ratio, _(
            "Only %(own)s ratings for the officer (fewer than %(minimum)s): the unit's "
            "%(ratio)s%% of %(count)s ratings satisfied is used"
        ) % {
            "own": officer.ratings,
            "minimum": enough,
            "ratio": format_percent(unit.ratio),
            "count": unit.ratings,
        }
    return ONE, _(
        "Fewer than %(minimum)s ratings for the officer (%(own)s) and for the unit "
        "(%(unit)s): the line takes its maximum"
    ) % {"minimum": enough, "own": officer.ratings, "unit": unit.ratings}
