"""The month operations as background jobs: open, move forward, close, send reminders.

The rules stay in :mod:`scoring.cycle.periods` and :mod:`scoring.cycle.reminders` (the
management commands call them directly, for cron); a job is only the way the admin runs
them. A refusal of the service (a closed month, a month that cannot move back) ends the
job as refused with the service's words; each outcome is what the page reports.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from scoring.calendar.models import Period
from scoring.cycle import periods, reminders
from scoring.jobs.models import Job
from scoring.jobs.runner import JobRefused, Progress, job_kind
from scoring.lib.months import month_value
from scoring.organisation.staff import names_of

OPEN, ADVANCE, CLOSE, REMIND = "open_period", "advance_period", "close_period", "send_reminders"


def refused(error: ValidationError) -> JobRefused:
    return JobRefused(" ".join(error.messages))


def period_of(job: Job) -> Period:
    period = Period.objects.filter(pk=job.payload["period"]).first()
    if period is None:
        raise JobRefused(_("The month no longer exists."))
    return period


def describe(period: Period) -> dict:
    return {"period": str(period), "period_id": period.pk, "closed": period.is_closed}


@job_kind(OPEN, title=_("Open a month"), result_template="scoring/period/job_opened.html")
def open_month(job: Job, progress: Progress) -> dict:
    """Payload: ``year``, ``month`` and the chosen ``deadlines`` (ISO dates)."""
    progress(0, 1)
    deadlines = {
        name: datetime.date.fromisoformat(value)
        for name, value in job.payload.get("deadlines", {}).items()
    }
    try:
        result = periods.open_period(
            job.payload["year"], job.payload["month"], user=job.requested_by, **deadlines
        )
    except ValidationError as error:
        raise refused(error) from error
    progress(1, 1)
    period = result.period
    return {
        **describe(period),
        "created": result.created,
        "existing": result.existing,
        "without_set": len(result.without_set),
        "without_set_names": names_of(result.without_set) if result.without_set else "",
        "without_evaluator": len(result.without_evaluator),
        "month": month_value(period.year, period.month),
    }


@job_kind(ADVANCE, title=_("Move a month forward"), result_template="scoring/period/job_moved.html")
def advance_month(job: Job, progress: Progress) -> dict:
    """Payload: ``period`` (its id) and the ``state`` to move it to."""
    progress(0, 1)
    period = period_of(job)
    state = job.payload["state"]
    already = period.state == state
    if not already:
        try:
            period = periods.advance_period(period, state, user=job.requested_by)
        except ValidationError as error:
            raise refused(error) from error
    progress(1, 1)
    return {**describe(period), "state": period.get_state_display(), "already": already}


@job_kind(CLOSE, title=_("Lock a month"), result_template="scoring/period/job_closed.html")
def close_month(job: Job, progress: Progress) -> dict:
    """Payload: ``period`` (its id) and the ``exception`` (why units that have not
    submitted are locked out), if any. Locking a locked month changes nothing; the
    progress counts the sheets frozen."""
    progress(0, 1)
    period = period_of(job)
    already = period.is_closed
    try:
        period = periods.close_period(
            period,
            user=job.requested_by,
            exception=job.payload.get("exception", ""),
            progress=progress,
        )
    except ValidationError as error:
        raise refused(error) from error
    count = period.evaluations.count()
    progress(count, count)
    return {**describe(period), "sheets": count, "already": already}


@job_kind(REMIND, title=_("Send reminders"), result_template="scoring/period/job_reminded.html")
def send_reminders(job: Job, progress: Progress) -> dict:
    """Payload: ``today`` (ISO date) and ``days``: deadlines within that many days."""
    progress(0, 1)
    today = datetime.date.fromisoformat(job.payload["today"])
    result = reminders.send_reminders(today, job.payload.get("days", 2))
    progress(1, 1)
    return {
        "today": f"{result.today:%d/%m/%Y}",
        "horizon": f"{result.horizon:%d/%m/%Y}",
        "plan": result.people(reminders.PLAN),
        "self": result.people(reminders.SELF_SCORING),
        "evaluators": result.people(reminders.EVALUATION),
        "sheets_waiting": result.sheets_waiting,
        "without_email": len(result.without_email),
        "unrouted": result.unrouted,
        "sent": result.sent,
    }
