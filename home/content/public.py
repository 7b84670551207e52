"""Which pages the public may read, in one query: live, outside any private section."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import PageViewRestriction


def private_section():
    """An ``Exists`` that is true for a page lying in (or being) a restricted section.

    Wagtail's ``.public()`` reads every restriction first (one query more); this is the
    same rule as a subquery: a restriction's page path is a prefix of the page's path.
    """
    return Exists(
        PageViewRestriction.objects.annotate(prefix=Length("page__path")).filter(
            page__path=Substr(OuterRef("path"), 1, F("prefix"))
        )
    )


def public_live(queryset):
    """``queryset`` kept to live pages the public may read."""
    return queryset.live().filter(~private_section())
