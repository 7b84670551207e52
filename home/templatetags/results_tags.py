"""The results pages' one filter: ``{{ value|shown }}``, ``{{ share|shown:"percent" }}``.

A suppressed figure (``None``) reads "fewer than 10" ("dưới 10") wherever it appears
(home.results.display.shown).
"""

from django import template

from home.results import display

register = template.Library()


@register.filter
def shown(value, kind: str = ""):
    return display.shown(value, kind)
