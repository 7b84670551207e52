"""How a published figure is written: one rule for "fewer than 10", used everywhere."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import pgettext

from scoring.publishing.figures import minimum


def fewer_than() -> str:
    """What a hidden figure reads: "fewer than 10" ("dưới 10"), with the minimum in force."""
    return pgettext("published figure", "fewer than %(minimum)s") % {"minimum": minimum()}


def shown(value: int | Decimal | None, kind: str = "") -> SafeString:
    """A figure as the public pages write it; ``None`` (suppressed) as "fewer than 10".

    ``kind`` "percent" adds the per-cent sign, "points" keeps two decimals.
    """
    if value is None:
        return format_html('<i class="na">{}</i>', fewer_than())
    if kind == "percent":
        return format_html("{}&nbsp;%", number_format(value, 1))
    if kind == "points":
        return format_html("{}", number_format(value, 2))
    if isinstance(value, Decimal):
        return format_html("{}", number_format(value, 1))
    return format_html("{}", number_format(value, force_grouping=True))
