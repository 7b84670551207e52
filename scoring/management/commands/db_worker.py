"""``manage.py db_worker``: django-tasks-db's worker, beating a heartbeat for /healthz."""

from __future__ import annotations

import os
import socket

from django_tasks_db.management.commands import db_worker

from scoring.jobs.heartbeat import start_beating


class Command(db_worker.Command):
    def handle(self, *args, **options) -> None:
        worker_id = options.get("worker_id") or f"{socket.gethostname()}:{os.getpid()}"
        stopped = start_beating(worker_id)
        try:
            super().handle(*args, **options)
        finally:
            stopped.set()
