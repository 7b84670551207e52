"""The id of the request (or background job) being served, for the log lines it writes.

The web sets it for each request (``portal.middleware.RequestIdMiddleware``); a background
job sets it to the id of the request that started it (:mod:`scoring.jobs.runner`), so an
operator can follow one action from the click to the end of its job. A context variable,
so each thread or asynchronous task sees its own. Empty outside both.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Iterator
from contextvars import ContextVar

_current: ContextVar[str] = ContextVar("request_id", default="")

# What a request id from a proxy may look like: letters, digits and ``._-``, at most 64.
# Anything else (a newline, a quote, a kilobyte of text) is replaced by a fresh id, so a
# client cannot write into the log through it.
_ACCEPTED = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current() -> str:
    """The id of the request or job being served, or "" outside both."""
    return _current.get()


def new() -> str:
    return uuid.uuid4().hex


def accepted(value: str | None) -> str | None:
    """``value`` if it is a well-formed request id, else None."""
    return value if value and _ACCEPTED.match(value) else None


@contextlib.contextmanager
def bound(request_id: str) -> Iterator[str]:
    """Serve the block under ``request_id`` (the previous id is back after it)."""
    token = _current.set(request_id)
    try:
        yield request_id
    finally:
        _current.reset(token)
