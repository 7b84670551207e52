"""Decimal helpers shared by the engine: rounding, clamping and display formatting."""

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
TENTH = Decimal("0.1")


def round_points(value: Decimal) -> Decimal:
    """Round a number of points to 2 decimal places, halves away from zero (ROUND_HALF_UP).

    This is the rounding applied to every line and to the sheet total; 51.625 -> 51.63.
    """
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    """Return ``value`` limited to the closed interval [low, high] (low wins if high < low)."""
    return max(low, min(value, high))


def _plain(value: Decimal) -> str:
    """Fixed-point text without trailing zeros: 30.00 -> "30", 7.50 -> "7.5"."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def format_points(value: Decimal) -> str:
    """Display text for a number of points (rounded to 2 places, trailing zeros dropped)."""
    return _plain(round_points(value))


def format_percent(ratio: Decimal) -> str:
    """Display text for a ratio as a percentage with at most one decimal: 0.6875 -> "68.8"."""
    return _plain((Decimal(ratio) * HUNDRED).quantize(TENTH, rounding=ROUND_HALF_UP))
