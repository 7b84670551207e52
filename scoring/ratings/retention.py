"""Keep a rating's address hash no longer than it serves.

The keyed hash of the client address is stored with each rating only to spot floods of
ratings from one connection while they are fresh; after ``RATING_ADDRESS_DAYS`` it is
deleted (set empty), the rating itself stays.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from .models import CitizenRating


def forget_addresses(now: datetime.datetime | None = None, days: int | None = None) -> int:
    """Delete the address hashes of ratings older than ``days``; return how many."""
    days = settings.RATING_ADDRESS_DAYS if days is None else days
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    return (
        CitizenRating.objects.filter(created_at__lt=cutoff)
        .exclude(client_hash="")
        .update(client_hash="")
    )
