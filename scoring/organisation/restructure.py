"""Reorganising units without losing history: rename, merge, close.

A merger closes the old units the day before it takes effect and moves their people's
open posts to the successor from that day, so every earlier month still reads the
structure it had. Each change is written as a :class:`UnitChange`.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Assignment, Unit, UnitChange


@transaction.atomic
def rename_unit(unit: Unit, new_name: str, on: datetime.date, note: str = "") -> UnitChange:
    """Give ``unit`` a new name from ``on``; :meth:`Unit.name_on` still reads the old one."""
    new_name = new_name.strip()
    if not new_name or new_name == unit.name:
        raise ValidationError(_("Give a new name that differs from the current one."))
    change = UnitChange.objects.create(
        unit=unit,
        change=UnitChange.Change.RENAMED,
        date=on,
        old_name=unit.name,
        new_name=new_name,
        note=note,
    )
    unit.name = new_name
    unit.save(update_fields=["name"])
    return change


def _end_unit(unit: Unit, on: datetime.date, successor: Unit | None, change: str, note: str):
    if unit.valid_to is not None and unit.valid_to < on:
        raise ValidationError(_("%(unit)s is already closed.") % {"unit": unit})
    if on <= unit.valid_from:
        raise ValidationError(_("%(unit)s cannot end before it starts.") % {"unit": unit})
    unit.valid_to = on - datetime.timedelta(days=1)
    unit.successor = successor
    unit.save(update_fields=["valid_to", "successor"])
    UnitChange.objects.create(
        unit=unit, change=change, date=on, old_name=unit.name, successor=successor, note=note
    )


def _move_posts(source: Unit, target: Unit | None, on: datetime.date) -> int:
    """End the open posts of ``source`` the day before ``on``; reopen them in ``target``."""
    open_posts = list(Assignment.objects.filter(unit=source, end_date__isnull=True))
    for post in open_posts:
        post.end_date = on - datetime.timedelta(days=1)
        post.save(update_fields=["end_date"])
    if target is not None:
        Assignment.objects.bulk_create(
            Assignment(staff_id=p.staff_id, unit=target, position_id=p.position_id, start_date=on)
            for p in open_posts
        )
    return len(open_posts)


@transaction.atomic
def merge_units(sources: list[Unit], into: Unit, on: datetime.date, note: str = "") -> int:
    """Merge ``sources`` into ``into`` from ``on``; returns how many posts moved."""
    if into in sources:
        raise ValidationError(_("A unit cannot be merged into itself."))
    if not into.is_valid_on(on):
        raise ValidationError(_("%(unit)s does not exist on that date.") % {"unit": into})
    moved = 0
    for source in sources:
        _end_unit(source, on, into, UnitChange.Change.MERGED, note)
        moved += _move_posts(source, into, on)
    return moved


@transaction.atomic
def close_unit(unit: Unit, on: datetime.date, note: str = "") -> int:
    """Close ``unit`` from ``on``: its open posts end the day before. Returns posts ended."""
    _end_unit(unit, on, None, UnitChange.Change.CLOSED, note)
    return _move_posts(unit, None, on)
