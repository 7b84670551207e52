"""Questions about people asked by many pages: their current post, their names in a list."""

from __future__ import annotations

from django.db import models
from django.db.models import F, OuterRef, Subquery
from django.utils.translation import gettext as _

from .models import Assignment, Staff

CURRENT_POST_ORDER = (F("end_date").desc(nulls_first=True), "-start_date", "-pk")


def staff_with_current_post() -> models.QuerySet[Staff]:
    """Staff by code, each with their current post's unit and position codes and dates."""
    post = Assignment.objects.filter(staff=OuterRef("pk")).order_by(*CURRENT_POST_ORDER)
    return Staff.objects.annotate(
        post_unit_code=Subquery(post.values("unit__code")[:1]),
        post_position_code=Subquery(post.values("position__code")[:1]),
        post_start=Subquery(post.values("start_date")[:1]),
        post_end=Subquery(post.values("end_date")[:1]),
    ).order_by("code")


def current_post(staff_id: int) -> Assignment | None:
    """A person's current post (see :data:`CURRENT_POST_ORDER`)."""
    posts = Assignment.objects.filter(staff_id=staff_id).select_related("unit", "position")
    return posts.order_by(*CURRENT_POST_ORDER).first()


def with_current_post(queryset):
    """Annotate staff with their open post's unit and position names (two subqueries)."""
    open_post = Assignment.objects.filter(staff=OuterRef("pk"), end_date__isnull=True)
    return queryset.annotate(
        current_unit=Subquery(open_post.values("unit__name")[:1]),
        current_position=Subquery(open_post.values("position__name")[:1]),
    )


def names_of(staff_ids: list[int], limit: int = 10) -> str:
    """The names of the first ``limit`` people, and how many more there are."""
    names = list(
        Staff.objects.filter(pk__in=staff_ids[:limit])
        .order_by("full_name")
        .values_list("full_name", flat=True)
    )
    more = len(staff_ids) - len(names)
    return ", ".join(names) + (_(" and %(count)d more") % {"count": more} if more > 0 else "")


def under_paths(unit_paths, field: str = "path") -> models.Q:
    """The rows whose unit ``field`` lies under one of ``unit_paths`` (tree paths);
    ``None`` means every unit, an empty tuple none."""
    if unit_paths is None:
        return models.Q()
    scope = models.Q(pk__in=[])
    for path in unit_paths:
        scope |= models.Q(**{f"{field}__startswith": path})
    return scope


def headed_unit_paths(person: Staff | None) -> tuple[str, ...]:
    """The tree paths of the units ``person`` heads now (their open head posts)."""
    if person is None:
        return ()
    posts = Assignment.objects.filter(staff=person, end_date__isnull=True, position__is_head=True)
    return tuple(posts.values_list("unit__path", flat=True))


def led_by(person: Staff | None) -> models.QuerySet[Staff]:
    """The people whose open post is in a unit ``person`` heads, or in one below it."""
    paths = headed_unit_paths(person)
    if not paths:
        return Staff.objects.none()
    in_units = models.Q()
    for path in paths:
        in_units |= models.Q(unit__path__startswith=path)
    posts = Assignment.objects.filter(in_units, end_date__isnull=True)
    return Staff.objects.filter(pk__in=posts.values("staff_id")).exclude(pk=person.pk)
