"""Tasks the background workers start once a day (e.g. forgetting old rating address
hashes: :mod:`scoring.ratings.retention`).

A feature marks its task, which takes no argument, in its own module (imported by
:class:`scoring.apps.ScoringConfig`)::

    @daily
    @task()
    def forget_old_addresses() -> int: ...

Each worker's heartbeat (:mod:`scoring.jobs.heartbeat`) asks :func:`enqueue_due`; the
first worker to ask on a given day (the project's time zone) claims the day in the
``jobs`` cache, which every worker shares (``cache.add`` succeeds once), and enqueues
the task; the others find the day claimed. A daily task must be idempotent all the same:
a cache emptied mid-day lets the task run twice, which must do no harm.
"""

from __future__ import annotations

import datetime
import logging

from django.core.cache import caches
from django.utils import timezone
from django_tasks.base import Task

logger = logging.getLogger(__name__)

CACHE_ALIAS = "jobs"
KEY = "daily-task:{path}:{day}"
CLAIM_SECONDS = 3 * 24 * 3600

DAILY: dict[str, Task] = {}


def daily(task: Task) -> Task:
    """Mark ``task`` to be enqueued once a day by the workers."""
    DAILY[task.module_path] = task
    return task


def claim(path: str, day: datetime.date) -> bool:
    """True for the first caller of the day (every worker shares the cache)."""
    key = KEY.format(path=path, day=day.isoformat())
    return caches[CACHE_ALIAS].add(key, timezone.now().isoformat(), CLAIM_SECONDS)


def release(path: str, day: datetime.date) -> None:
    caches[CACHE_ALIAS].delete(KEY.format(path=path, day=day.isoformat()))


def enqueue_due(today: datetime.date | None = None) -> list[str]:
    """Enqueue every daily task not yet enqueued today; their paths."""
    today = today or timezone.localdate()
    enqueued = []
    for path, task in DAILY.items():
        if claim(path, today):
            try:
                task.enqueue()
            except Exception:
                release(path, today)  # the next beat tries again
                raise
            logger.info("Daily task %s enqueued for %s", path, today)
            enqueued.append(path)
    return enqueued
