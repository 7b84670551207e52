"""The background workers' heartbeat, read by ``/healthz``.

Every worker (``manage.py db_worker``) writes the time every ``HEARTBEAT_SECONDS``, from
a thread of its own, so a worker deep in a long job still beats; it goes through the
``jobs`` cache, which workers and web processes share (Redis, or files on one machine).
A worker's beat also starts the daily tasks when a day begins (:mod:`scoring.jobs.daily`).
"""

from __future__ import annotations

import datetime
import logging
import socket
import threading
from collections.abc import Callable

from django.core.cache import caches
from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)

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


def start_beating(
    worker_id: str | None = None, also: Callable[[], object] | None = None
) -> threading.Event:
    """Beat now and every ``HEARTBEAT_SECONDS`` until the returned event is set; call
    ``also`` (the worker's daily tasks) with each beat."""
    worker_id = worker_id or socket.gethostname()
    stopped = threading.Event()

    def loop() -> None:
        while True:
            beat(worker_id)
            if also is not None:
                _call(also)
            if stopped.wait(HEARTBEAT_SECONDS):
                return

    threading.Thread(target=loop, name="worker-heartbeat", daemon=True).start()
    return stopped


def _call(work: Callable[[], object]) -> None:
    """Run ``work`` from the beating thread: a failure is logged, never stops the beat,
    and the thread's database connection does not outlive its use."""
    try:
        work()
    except Exception:
        logger.exception("The heartbeat's work failed; the next beat tries again")
    finally:
        close_old_connections()
