"""Criteria-set versions: a set that sheets were scored on is copied, never edited.

:func:`new_version` copies a set with its groups, lines, bands and positions under the
same code with the next version number; the admin's edit view saves into such a copy
whenever the set is in use, so every sheet keeps the version it was scored on.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max

from .models import ClassificationBand, CriteriaSet, Criterion, CriterionGroup


def next_version(code: str) -> int:
    current = CriteriaSet.objects.filter(code=code).aggregate(top=Max("version"))["top"]
    return (current or 0) + 1


@transaction.atomic
def new_version(source: CriteriaSet, effective_from: datetime.date | None = None) -> CriteriaSet:
    """A copy of ``source`` (groups, lines, bands, positions) as its code's next version."""
    positions = list(source.positions.all())
    groups = [(group, list(group.criteria.all())) for group in source.groups.all()]
    bands = list(source.bands.all())
    copy = CriteriaSet.objects.get(pk=source.pk)
    copy.pk = None
    copy.version = next_version(source.code)
    if effective_from is not None:
        copy.effective_from = effective_from
    copy.save()
    copy.positions.set(positions)
    copy.save()
    for group, criteria in groups:
        new_group = CriterionGroup.objects.create(
            criteria_set=copy, title=group.title, sort_order=group.sort_order
        )
        Criterion.objects.bulk_create(
            Criterion(
                group=new_group,
                code=c.code,
                title=c.title,
                kind=c.kind,
                max_points=c.max_points,
                cap_level=c.cap_level,
                sort_order=c.sort_order,
            )
            for c in criteria
        )
    ClassificationBand.objects.bulk_create(
        ClassificationBand(
            criteria_set=copy, level=b.level, minimum=b.minimum, sort_order=b.sort_order
        )
        for b in bands
    )
    return copy
