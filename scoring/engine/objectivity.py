"""Objectivity checks: signals that a month's scoring may need a second look.

The seed project asked that monthly classification be accurate, objective and
quantified, free of formalism, leniency and vindictiveness (DOMAIN.md). Each check here
turns one of those words into figures and answers with a :class:`Signal` or ``None``. A
signal is for people to look at, never a change: there are good reasons for a whole
team to earn the same total, or for a month to drop.

Plain values in, plain values out; no ORM. Thresholds come in as :class:`Thresholds`
(the portal reads them from its settings).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .amounts import format_percent, format_points
from .i18n import gettext as _
from .types import Level

ZERO = Decimal(0)


class SignalKind(StrEnum):
    """What a signal is about."""

    FORMALISM = "formalism"  # many identical totals or identical lines from one evaluator
    LENIENCY = "leniency"  # final totals above the self-assessment on average
    SEVERITY = "severity"  # final totals below the self-assessment on average
    SUDDEN_DROP = "sudden_drop"  # far below the person's own recent months, no reason
    UNIT_ABOVE_PEERS = "unit_above_peers"  # a unit far above units of its kind
    HIGH_LEVEL_LOW_SATISFACTION = "high_level_low_satisfaction"
    LOW_LEVEL_HIGH_SATISFACTION = "low_level_high_satisfaction"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When a figure becomes a signal (shares and ratios as fractions, gaps in points)."""

    formalism_share: Decimal = Decimal("0.8")
    formalism_min_sheets: int = 5
    leniency_points: Decimal = Decimal("5")
    leniency_min_sheets: int = 3
    drop_points: Decimal = Decimal("20")
    drop_months: int = 3
    unit_spread: Decimal = Decimal("2")
    unit_min_gap: Decimal = Decimal("5")
    unit_min_peers: int = 3
    unit_min_sheets: int = 3
    satisfaction_low: Decimal = Decimal("0.5")
    satisfaction_high: Decimal = Decimal("0.9")
    satisfaction_min_ratings: int = 10


@dataclass(frozen=True, slots=True)
class Signal:
    """One signal: its kind, the figure that raised it, the threshold it crossed, the
    words, and the keys of the sheets behind it (the caller's ids)."""

    kind: SignalKind
    figure: Decimal
    threshold: Decimal
    explanation: str
    keys: tuple[int, ...] = ()


def largest_cluster(values: Sequence[tuple[int, Hashable]]) -> tuple[int, ...]:
    """The keys of the largest set of equal values ((key, value) pairs; first met wins)."""
    if not values:
        return ()
    counted = Counter(value for _key, value in values)
    top = max(counted, key=lambda value: counted[value])
    return tuple(key for key, value in values if value == top)


def formalism(
    totals: Sequence[tuple[int, Decimal]],
    lines: Sequence[tuple[int, tuple]],
    thresholds: Thresholds,
) -> Signal | None:
    """One evaluator's month: too many sheets with the same final total or the same lines.

    ``totals`` pairs each sheet's key with its final total, ``lines`` with the tuple of
    its final line points. The figure is the larger share of identical sheets; fewer
    sheets than ``formalism_min_sheets`` say nothing.
    """
    count = len(totals)
    if count < thresholds.formalism_min_sheets:
        return None
    same_total, same_lines = largest_cluster(totals), largest_cluster(lines)
    # The same lines say more than the same total: told as such when they are as many.
    keys = same_lines if same_lines and len(same_lines) >= len(same_total) else same_total
    share = Decimal(len(keys)) / count
    if share < thresholds.formalism_share:
        return None
    if keys is same_lines:
        text = _("%(same)d of %(count)d sheets have identical lines (%(share)s%%).")
    else:
        text = _(
            "%(same)d of %(count)d sheets have the identical final total %(total)s (%(share)s%%)."
        )
    total = dict(totals).get(keys[0], ZERO)
    words = text % {
        "same": len(keys),
        "count": count,
        "share": format_percent(share),
        "total": format_points(total),
    }
    return Signal(SignalKind.FORMALISM, share, thresholds.formalism_share, words, keys)


def score_gap(
    pairs: Sequence[tuple[int, Decimal, Decimal]], thresholds: Thresholds
) -> Signal | None:
    """One evaluator's mean gap between final and self totals, and its direction.

    ``pairs`` are (key, self total, final total). A mean of at least
    ``leniency_points`` above the self-assessment is lenient, as far below severe.
    """
    if len(pairs) < thresholds.leniency_min_sheets:
        return None
    gap = sum((final - own for _key, own, final in pairs), ZERO) / len(pairs)
    keys = tuple(key for key, _own, _final in pairs)
    values = {"gap": format_points(abs(gap)), "count": len(pairs)}
    if gap >= thresholds.leniency_points:
        text = _(
            "Final totals are %(gap)s points above the self-assessment on average "
            "(%(count)d sheets)."
        )
        return Signal(SignalKind.LENIENCY, gap, thresholds.leniency_points, text % values, keys)
    if gap <= -thresholds.leniency_points:
        text = _(
            "Final totals are %(gap)s points below the self-assessment on average "
            "(%(count)d sheets)."
        )
        return Signal(SignalKind.SEVERITY, gap, -thresholds.leniency_points, text % values, keys)
    return None


def sudden_drop(
    current: Decimal, previous: Sequence[Decimal], has_reason: bool, thresholds: Thresholds
) -> Signal | None:
    """A final total far below the mean of the person's own recent months, with no reason.

    ``previous`` are the final totals of up to ``drop_months`` earlier months (the caller
    picks them; absent months are not among them). With no earlier month there is no drop.
    """
    recent = list(previous)[-thresholds.drop_months :] if thresholds.drop_months else []
    if not recent or has_reason:
        return None
    baseline = sum(recent, ZERO) / len(recent)
    drop = baseline - current
    if drop < thresholds.drop_points:
        return None
    text = _(
        "%(current)s points against %(baseline)s in the recent months (%(drop)s points "
        "lower), and no reason recorded."
    ) % {
        "current": format_points(current),
        "baseline": format_points(baseline),
        "drop": format_points(drop),
    }
    return Signal(SignalKind.SUDDEN_DROP, drop, thresholds.drop_points, text)


def mean_and_spread(values: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    """The mean and the population standard deviation of ``values`` (non-empty)."""
    mean = sum(values, ZERO) / len(values)
    variance = sum(((value - mean) ** 2 for value in values), ZERO) / len(values)
    return mean, variance.sqrt()


def unit_above_peers(
    value: Decimal, peers: Sequence[Decimal], thresholds: Thresholds
) -> Signal | None:
    """A unit's mean final total far above the other units of its kind.

    Far above: at least ``unit_spread`` standard deviations of the peers *and* at least
    ``unit_min_gap`` points above their mean (a tight group of peers does not make one
    point "far"). Fewer than ``unit_min_peers`` peers say nothing.
    """
    if len(peers) < thresholds.unit_min_peers:
        return None
    mean, spread = mean_and_spread(peers)
    gap = value - mean
    needed = max(thresholds.unit_min_gap, thresholds.unit_spread * spread)
    if gap < needed:
        return None
    text = _(
        "A mean of %(value)s points against %(mean)s in %(count)d units of the same kind "
        "(%(gap)s points above)."
    ) % {
        "value": format_points(value),
        "mean": format_points(mean),
        "count": len(peers),
        "gap": format_points(gap),
    }
    return Signal(SignalKind.UNIT_ABOVE_PEERS, gap, needed, text)


def satisfaction_mismatch(
    level: int, ratio: Decimal | None, ratings: int, thresholds: Thresholds
) -> Signal | None:
    """A desk officer's level against citizens' satisfaction with them.

    Level 1 with a satisfaction ratio below ``satisfaction_low``, or level 3 or 4 with a
    ratio of at least ``satisfaction_high``; fewer than ``satisfaction_min_ratings``
    ratings say nothing.
    """
    if ratio is None or ratings < thresholds.satisfaction_min_ratings:
        return None
    values = {"share": format_percent(ratio), "count": ratings}
    if level == Level.EXCELLENT and ratio < thresholds.satisfaction_low:
        text = _("Level 1, while only %(share)s%% of %(count)d citizens were satisfied.")
        kind, threshold = SignalKind.HIGH_LEVEL_LOW_SATISFACTION, thresholds.satisfaction_low
    elif level >= Level.COMPLETION and ratio >= thresholds.satisfaction_high:
        text = _("Level %(level)d, while %(share)s%% of %(count)d citizens were satisfied.")
        values["level"] = level
        kind, threshold = SignalKind.LOW_LEVEL_HIGH_SATISFACTION, thresholds.satisfaction_high
    else:
        return None
    return Signal(kind, ratio, threshold, text % values)
