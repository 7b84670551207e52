"""The background workers' heartbeat, read by ``/healthz``.

Every worker (``manage.py db_worker``) writes the time every ``HEARTBEAT_SECONDS``, from
a thread of its own, so a worker deep in a long job still beats; it goes through the
``jobs`` cache, which workers and web processes share (Redis, or files on one machine).
"""

from __future__ import annotations

import datetime
import socket
import threading

from django.core.cache import caches
from django.utils import timezone

KEY = "worker:heartbeat"
HEARTBEAT_SECONDS = 30


def beat(worker_id: str) -> None:
    caches["jobs"].set(
        KEY, {"worker": worker_id, "at": timezone.now().isoformat()}, timeout=24 * 3600
    )


def last_beat() -> tuple[str, datetime.datetime] | None:
    """The latest beat of any worker: (its id, when), or None when none has beaten."""
    found = caches["jobs"].get(KEY)
    if not found:
        return None
    return found["worker"], datetime.datetime.fromisoformat(found["at"])


def start_beating(worker_id: str | None = None) -> threading.Event:
    """Beat now and every ``HEARTBEAT_SECONDS`` until the returned event is set."""
    worker_id = worker_id or socket.gethostname()
    stopped = threading.Event()

    def loop() -> None:
        while True:
            beat(worker_id)
            if stopped.wait(HEARTBEAT_SECONDS):
                return

    threading.Thread(target=loop, name="worker-heartbeat", daemon=True).start()
    return stopped
