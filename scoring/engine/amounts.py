"""Decimal helpers shared by the engine: rounding, clamping and display formatting."""

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from .i18n import decimal_separator

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
TENTH = Decimal("0.1")


def round_points(value: Decimal) -> Decimal:
    """Round a number of points to 2 decimal places, halves away from zero (ROUND_HALF_UP).

    This is how a line's points are shown (51.625 -> 51.63); the arithmetic keeps the
    exact values, and a total is shown by :func:`scoring.engine.classify.shown_total`.
    """
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def round_down(value: Decimal) -> Decimal:
    """Cut a non-negative number of points to 2 decimal places: 89.9956 -> 89.99."""
    return Decimal(value).quantize(CENT, rounding=ROUND_FLOOR)


def clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    """Return ``value`` limited to the closed interval [low, high] (low wins if high < low)."""
    return max(low, min(value, high))


def _plain(value: Decimal) -> str:
    """Fixed-point text without trailing zeros: 30.00 -> "30", 7.50 -> "7.5"."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _shown(text: str) -> str:
    """Plain text with the active language's decimal mark ("68,8" in Vietnamese)."""
    return text.replace(".", decimal_separator())


def format_points(value: Decimal) -> str:
    """Display text for a number of points (rounded to 2 places, trailing zeros dropped)."""
    return _shown(_plain(round_points(value)))


def format_percent(ratio: Decimal) -> str:
    """Display text for a ratio as a percentage with at most one decimal: 0.6875 -> "68.8"
    ("68,8" in Vietnamese)."""
    return _shown(_plain((Decimal(ratio) * HUNDRED).quantize(TENTH, rounding=ROUND_HALF_UP)))
