"""The portal's logs and error reports: lines an operator can search and act on.

Every record goes to standard error, one line each, carrying the id of the request or
background job it belongs to (:class:`RequestIdFilter`, from
:mod:`scoring.lib.request_id`). In production the lines are JSON objects
(:class:`JsonFormatter`), one per line, for a log shipper; in development they are text
for people (:class:`TextFormatter`). ``LOG_FORMAT`` chooses (README, "Logs").

Error reports go to Sentry only when ``SENTRY_DSN`` is set (:func:`init_sentry`, called by
the production settings), without personal data, tagged with the request id.
"""

from __future__ import annotations

import datetime
import json
import logging
from typing import Any

from scoring.lib import request_id

FORMATS = ("text", "json")
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

# The attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}
# Extras that are objects, not facts: Django's ``django.request`` and ``django.server``
# loggers attach the request (or socket) itself, whose text would carry the full address.
_SKIPPED = {"request"}


class RequestIdFilter(logging.Filter):
    """Give every record the id of the request or job being served (none outside both)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            current = request_id.current()
            if current:
                record.request_id = current
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: ``time`` (UTC, ISO 8601), ``level``, ``logger``,
    ``message``, ``request_id`` (null outside a request or job), the record's extras
    (``method``, ``path``, ``status``, ``duration_ms``, ``user_id`` on access lines), and
    ``exception`` with the traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": _utc(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id.current() or None,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in _SKIPPED and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def _utc(created: float) -> str:
    moment = datetime.datetime.fromtimestamp(created, tz=datetime.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class TextFormatter(logging.Formatter):
    """``2026-03-02 10:15:04,123 INFO portal.access [3f2a…] GET / 200 12ms`` ("-" for no id)."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
            defaults={"request_id": "-"},
        )


def logging_settings(log_format: str, level: str) -> dict:
    """The ``LOGGING`` setting: every record to standard error in ``log_format``.

    Django's own handlers are dropped (its console handler would print a second copy of
    each line in development; e-mailing errors is Sentry's job), so its records reach
    the root handler like everyone's.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "portal.logging.RequestIdFilter"}},
        "formatters": {
            "text": {"()": "portal.logging.TextFormatter"},
            "json": {"()": "portal.logging.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django": {"handlers": [], "level": level, "propagate": True},
            "django_tasks": {"level": "WARNING"},
        },
    }


# --- Error reports ----------------------------------------------------------------------


def init_sentry(dsn: str, *, environment: str, release: str | None, traces: float) -> None:
    """Send unexpected errors to Sentry (or a compatible service such as GlitchTip).

    No personal data: no user, address, cookies or request body, and no local variables
    of the failing code (a sheet's scores, a citizen's comment); each event is tagged
    with the request id, which the operator finds in the logs and the user on the 500
    page.
    """
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=traces,
        integrations=[DjangoIntegration()],
        before_send=tag_request_id,
        before_send_transaction=tag_request_id,
    )


def tag_request_id(event: dict, hint: dict | None = None) -> dict:
    """Sentry's ``before_send``: tag the event with the current request's id."""
    current = request_id.current()
    if current:
        event.setdefault("tags", {})["request_id"] = current
    return event
