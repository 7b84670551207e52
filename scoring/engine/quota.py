"""The quota of the top level: how many people of a group may be at level 1.

Decree 335/2025/NĐ-CP: those classified "Hoàn thành xuất sắc nhiệm vụ" may not exceed
20% of those classified "Hoàn thành tốt nhiệm vụ", counted within one agency and within
each group of people with similar duties (an exception for units with outstanding
achievements exists; its ceiling is unconfirmed, so it is configured). Hà Nội's monthly
scheme (3814-QĐ/TU, 2018) caps level A at 30% of everyone scored, 40% in units marked
exceptional. Both kinds of cap are configured; when a group has both, the stricter holds.

A cap is a whole number of people, rounded down: "may not exceed 20% of 7" is 1 person,
never 2. Plain values in, plain values out; no ORM.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from .amounts import format_percent
from .i18n import gettext as _
from .types import Level


@dataclass(frozen=True, slots=True)
class QuotaCap:
    """The shares that cap level 1: of those at level 2, and of everyone scored.

    Shares are fractions (0.2 for 20%); ``None`` means no cap of that kind.
    """

    share_of_good: Decimal | None = None
    share_of_all: Decimal | None = None

    @property
    def is_set(self) -> bool:
        return self.share_of_good is not None or self.share_of_all is not None


DECREE_335 = QuotaCap(share_of_good=Decimal("0.2"))


@dataclass(frozen=True, slots=True)
class QuotaPerson:
    """One person of a group as the quota sees them: a key, the final total and level."""

    key: int
    total: Decimal
    level: int


@dataclass(frozen=True, slots=True)
class GroupQuota:
    """The quota check of one group.

    ``counts`` has every level 1–4 (0 when nobody); ``cap`` is the most people allowed
    at level 1 (None when no cap applies); ``ranked`` are those at level 1, lowest total
    first (ties by key); ``margin`` the first ``excess`` of them: the ones who would move
    to level 2 if the cap is kept by totals alone.
    """

    counts: dict[int, int]
    cap: int | None
    excess: int
    ranked: tuple[QuotaPerson, ...]
    margin: tuple[QuotaPerson, ...]
    tie_at_margin: bool
    explanation: str

    @property
    def broken(self) -> bool:
        return self.excess > 0

    @property
    def counted(self) -> int:
        return sum(self.counts.values())


def share_cap(share: Decimal, count: int) -> int:
    """``share`` of ``count`` people, rounded down to whole people (0.2 × 7 → 1)."""
    return int((share * count).to_integral_value(rounding=ROUND_FLOOR))


def level_counts(people: Sequence[QuotaPerson]) -> dict[int, int]:
    """How many people are at each level 1–4 (levels outside 1–4 are left out)."""
    counted = Counter(person.level for person in people)
    return {int(level): counted.get(level, 0) for level in Level}


def quota_cap(counts: dict[int, int], cap: QuotaCap) -> int | None:
    """The most people allowed at level 1 under ``cap``: the stricter of its shares."""
    caps = []
    if cap.share_of_good is not None:
        caps.append(share_cap(cap.share_of_good, counts.get(Level.GOOD, 0)))
    if cap.share_of_all is not None:
        caps.append(share_cap(cap.share_of_all, sum(counts.values())))
    return min(caps) if caps else None


def check_group(people: Sequence[QuotaPerson], cap: QuotaCap) -> GroupQuota:
    """Check one group's level-1 count against ``cap`` and name the people at the margin.

    Only people with a level count (sheets not yet evaluated and absences are left out
    by the caller). With nobody at level 2 and a share-of-good cap, the cap is 0.
    """
    counts = level_counts(people)
    allowed = quota_cap(counts, cap)
    ranked = tuple(
        sorted(
            (person for person in people if person.level == Level.EXCELLENT),
            key=lambda person: (person.total, person.key),
        )
    )
    excess = max(0, len(ranked) - allowed) if allowed is not None else 0
    margin = ranked[:excess]
    tie = bool(margin) and excess < len(ranked) and ranked[excess].total == margin[-1].total
    return GroupQuota(
        counts, allowed, excess, ranked, margin, tie, explain(counts, allowed, excess, cap)
    )


def explain(counts: dict[int, int], allowed: int | None, excess: int, cap: QuotaCap) -> str:
    """The check in words, as the quota page and the unit's report say it."""
    excellent, good = counts.get(Level.EXCELLENT, 0), counts.get(Level.GOOD, 0)
    if allowed is None:
        return _("No quota applies to this group.")
    if cap.share_of_good is not None and good == 0 and allowed == 0:
        if excellent:
            return _(
                "Nobody is at level 2, so nobody can be at level 1 (the cap is 0): "
                "%(count)d proposed at level 1."
            ) % {"count": excellent}
        return _("Nobody is at level 2, so nobody can be at level 1 (the cap is 0).")
    text = _("%(excellent)d at level 1 for a cap of %(cap)d (%(rule)s).") % {
        "excellent": excellent,
        "cap": allowed,
        "rule": describe_cap(cap),
    }
    if excess:
        text += " " + _("%(excess)d too many at level 1.") % {"excess": excess}
    return text


def describe_cap(cap: QuotaCap) -> str:
    """The cap's shares in words: "20% of those at level 2; 30% of everyone scored"."""
    parts = []
    if cap.share_of_good is not None:
        parts.append(
            _("%(share)s%% of those at level 2") % {"share": format_percent(cap.share_of_good)}
        )
    if cap.share_of_all is not None:
        parts.append(
            _("%(share)s%% of everyone scored") % {"share": format_percent(cap.share_of_all)}
        )
    return "; ".join(parts)
