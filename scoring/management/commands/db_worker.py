"""``manage.py db_worker``: django-tasks-db's worker, beating a heartbeat for /healthz
and enqueuing the daily tasks (:mod:`scoring.jobs.daily`) once a day among all workers."""

from __future__ import annotations

import os
import socket

from django.conf import settings
from django_tasks_db.management.commands import db_worker

from scoring.jobs.daily import enqueue_due
from scoring.jobs.heartbeat import start_beating


class Command(db_worker.Command):
    def handle(self, *args, **options) -> None:
        worker_id = options.get("worker_id") or f"{socket.gethostname()}:{os.getpid()}"
        also = enqueue_due if settings.WORKER_DAILY_TASKS else None
        stopped = start_beating(worker_id, also=also)
        try:
            super().handle(*args, **options)
        finally:
            stopped.set()
