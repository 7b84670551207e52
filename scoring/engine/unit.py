"""Unit result of a leader (người đứng đầu, cấp trưởng, cấp phó).

Decree 335/2025/NĐ-CP (and Decree 90/2020, leaders judged also by their units): the
unit-result ratio counts 100% when everyone the leader manages reaches at least
"Hoàn thành nhiệm vụ" (completion), 50% when anyone falls below. The ratios and the
passing level are data.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .amounts import ONE
from .i18n import gettext as _
from .types import Level


@dataclass(frozen=True, slots=True)
class UnitResultRule:
    """Ratios (0..1) of a unit-result line.

    ``passing_level``: worst level that still counts as passing (3 = completion);
    ``all_pass_ratio`` when everyone passes, ``any_fail_ratio`` when anyone does not,
    ``nobody_ratio`` when the leader manages nobody.
    """

    passing_level: int = Level.COMPLETION
    all_pass_ratio: Decimal = ONE
    any_fail_ratio: Decimal = Decimal("0.5")
    nobody_ratio: Decimal = ONE


DEFAULT_UNIT_RULE = UnitResultRule()


def unit_result_ratio(
    staff_levels: Sequence[int], rule: UnitResultRule = DEFAULT_UNIT_RULE
) -> tuple[Decimal, str]:
    """Unit-result ratio (0..1) from the managed people's levels, with an explanation.

    Levels are 1..4, lower is better; a level worse (greater) than ``rule.passing_level``
    is a failure. An empty sequence (the leader manages nobody) gives ``nobody_ratio``.
    """
    if not staff_levels:
        return rule.nobody_ratio, _("Manages nobody: the unit-result line counts in full")
    failing = sum(1 for level in staff_levels if level > rule.passing_level)
    values = {"failing": failing, "managed": len(staff_levels)}
    if failing:
        text = _("%(failing)s of %(managed)s managed people did not complete their tasks")
        return rule.any_fail_ratio, text % values
    return rule.all_pass_ratio, _("All %(managed)s managed people completed their tasks") % values
