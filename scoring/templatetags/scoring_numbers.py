"""Whole numbers as people read them: ``{{ count|grouped }}`` is 20.000 in Vietnamese."""

from django import template

from scoring.jobs.runner import grouped as grouped_number

register = template.Library()


@register.filter
def grouped(value):
    """A whole number with the active language's thousands separator; other values as is."""
    try:
        return grouped_number(int(value))
    except (TypeError, ValueError):
        return value
