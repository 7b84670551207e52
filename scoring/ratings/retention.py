"""Keep a rating's address hash no longer than it serves.

The keyed hash of the client address is stored with each rating only to spot floods of
ratings from one connection while they are fresh; after ``RATING_ADDRESS_DAYS`` it is
deleted (set empty), the rating itself stays. The workers do it every day
(:func:`forget_old_addresses`, a daily task); ``manage.py forget_rating_addresses`` does
it at once.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from scoring.jobs.daily import daily

from .models import CitizenRating

logger = logging.getLogger(__name__)


def forget_addresses(now: datetime.datetime | None = None, days: int | None = None) -> int:
    """Delete the address hashes of ratings older than ``days``; return how many."""
    days = settings.RATING_ADDRESS_DAYS if days is None else days
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    return (
        CitizenRating.objects.filter(created_at__lt=cutoff)
        .exclude(client_hash="")
        .update(client_hash="")
    )


@daily
@task()
def forget_old_addresses() -> int:
    """The daily task: :func:`forget_addresses` with the setting in force (idempotent:
    a second run the same day finds nothing left to forget)."""
    forgotten = forget_addresses()
    logger.info("Rating address hashes deleted: %d", forgotten)
    return forgotten
