"""Small builders for test data: readable, explicit, no large fixtures."""

from __future__ import annotations

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from scoring.models import Assignment, Position, ServiceDesk, Staff, Unit, UnitKind

_codes = itertools.count(1)
D2000 = datetime.date(2000, 1, 1)


def kind(code: str) -> UnitKind:
    """The unit kind with ``code`` (the standard kinds are shipped by a migration)."""
    obj, _ = UnitKind.objects.get_or_create(code=code, defaults={"name": code})
    return obj


def unit(name: str, kind_code: str, parent: Unit | None = None, **fields) -> Unit:
    fields.setdefault("code", f"U{next(_codes):05d}")
    fields.setdefault("valid_from", D2000)
    node = Unit(name=name, kind=kind(kind_code), **fields)
    return parent.add_child(instance=node) if parent else Unit.add_root(instance=node)


def position(code: str, is_head: bool = False, rank: int = 100) -> Position:
    obj, _ = Position.objects.get_or_create(
        code=code, defaults={"name": code, "is_head": is_head, "rank": rank}
    )
    return obj


def staff(
    name: str,
    in_unit: Unit | None = None,
    post: Position | None = None,
    start: datetime.date = D2000,
    category: str = Staff.Category.CIVIL_SERVANT,
    **fields,
) -> Staff:
    fields.setdefault("code", f"S{next(_codes):06d}")
    person = Staff.objects.create(full_name=name, category=category, start_date=start, **fields)
    if in_unit is not None and post is not None:
        Assignment.objects.create(staff=person, unit=in_unit, position=post, start_date=start)
    return person


def user(username: str, *groups: str, superuser: bool = False, password: str = "pw"):
    User = get_user_model()
    account = User.objects.create_user(
        username=username, password=password, is_superuser=superuser, is_staff=superuser
    )
    for name in groups:
        account.groups.add(Group.objects.get(name=name))
    return account


def desk(in_unit: Unit, code: str, name: str, officers) -> ServiceDesk:
    """A one-stop desk with its officers (parental many-to-many: saved with the desk)."""
    made = ServiceDesk.objects.create(unit=in_unit, code=code, name=name)
    made.officers.set(officers)
    made.save()
    return made
