"""Which desks a user works with and whose rating figures they may see.

Built on the decisions of :mod:`scoring.access.policy`: the office sees every desk, a unit
head the desks of the units they head, an officer the desks they serve at.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from scoring.access.policy import manages_desks, reads_every_desk, staff_of
from scoring.lib.months import day_bounds
from scoring.organisation.models import Staff
from scoring.organisation.staff import headed_unit_paths

from .models import Receipt, ServiceDesk


@dataclass(frozen=True)
class Scope:
    """The desks whose figures a user may see: all, unit subtrees, or named desks.

    Outside the office, figures count the ratings received before today
    (``ratings_before``): an officer who reloads the page after each citizen must not
    see which level that citizen just gave. Today's ratings are shown as a count only.
    """

    everything: bool = False
    unit_paths: tuple[str, ...] = ()
    desk_ids: frozenset[int] = frozenset()
    staff: Staff | None = None
    ratings_before: datetime.datetime | None = None

    @property
    def minimum(self) -> int:
        """Outside the office, no figure about fewer than ``PUBLISH_MINIMUM`` ratings is
        shown (the published site's rule): one rating would show one citizen's answer."""
        return 0 if self.everything else int(settings.PUBLISH_MINIMUM)

    def hides(self, figures) -> bool:
        """Whether ``figures`` (a month's tally) count too few ratings to be shown."""
        return 0 < figures.ratings < self.minimum

    def __bool__(self) -> bool:
        return bool(self.everything or self.unit_paths or self.desk_ids)

    def q(self, to_desk: str = "") -> Q:
        """A filter on a model reaching the desk through ``to_desk`` ("desk__", …)."""
        if self.everything:
            return Q()
        condition = Q(**{f"{to_desk}pk__in": sorted(self.desk_ids)})
        for unit_path in self.unit_paths:
            condition |= Q(**{f"{to_desk}unit__path__startswith": unit_path})
        return condition


def scope_for(user) -> Scope:
    """The office sees every desk; a head their unit's tree; an officer their own desks."""
    if not user.is_authenticated:
        return Scope()
    person = staff_of(user)
    if reads_every_desk(user):
        return Scope(everything=True, staff=person)
    if person is None:
        return Scope()
    heads = headed_unit_paths(person)
    desks = ServiceDesk.officers.through.objects.filter(staff=person).values_list(
        "servicedesk_id", flat=True
    )
    return Scope(
        unit_paths=tuple(heads),
        desk_ids=frozenset(desks),
        staff=person,
        ratings_before=day_bounds(timezone.localdate())[0],
    )


def scope_of(request) -> Scope:
    """The request user's scope, worked out once per request (the menu asks too)."""
    if not hasattr(request, "_citizen_rating_scope"):
        request._citizen_rating_scope = scope_for(request.user)
    return request._citizen_rating_scope


# --- Which desks a user works with ---------------------------------------------------


def desks_for(user: Any) -> models.QuerySet[ServiceDesk]:
    """The desks ``user`` works with: every desk for the office, else those they serve at."""
    desks = ServiceDesk.objects.select_related("unit")
    if manages_desks(user):
        return desks.all()
    if not user.is_authenticated:
        return desks.none()
    return desks.filter(officers__user=user)


def receipts_for(user: Any) -> models.QuerySet[Receipt]:
    """The receipts of the desks ``user`` works with."""
    receipts = Receipt.objects.select_related("desk__unit", "officer")
    if manages_desks(user):
        return receipts.all()
    return receipts.filter(desk__in=desks_for(user).values("pk"))


def officers_of(desks: models.QuerySet[ServiceDesk]) -> models.QuerySet[Staff]:
    return Staff.objects.filter(service_desks__in=desks.values("pk")).distinct()
