"""Submitting a unit's month report to the office, and the office reopening it.

The state machine is :mod:`scoring.cycle.closing`; this module adds what holds a
submission from the rooms above the cycle: a broken quota of level 1 that the head has
not decided on, and contests of a score still open. The report page shows the
button exactly when :func:`submission_refusal` is ``None``, and the action asks again.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from scoring.contests.contests import contest_refusal_for_submission
from scoring.cycle import closing

from .month_report import MonthReport


def quota_holds(report: MonthReport) -> list[str]:
    """A group over its cap with no current decision of the head that keeps it."""
    return [
        _(
            "The quota of level 1 is broken in “%(group)s” (%(excess)d over the cap): "
            "record who keeps level 1 on the quota page before submitting."
        )
        % {"group": group.label, "excess": group.excess}
        for group in report.quota.groups
        if group.broken and not group.proposal_keeps_cap
    ]


def holds(report: MonthReport) -> list[str]:
    """Everything above the cycle that holds the unit's submission now."""
    contested = contest_refusal_for_submission(report.period, report.unit)  # asked afresh
    return [*([contested] if contested else []), *quota_holds(report)]


def submission_refusal(report: MonthReport) -> str | None:
    return closing.submission_refusal(report.period, report.unit, holds(report))


def submit(report: MonthReport, user):
    """The unit head submits ``report``'s unit month (refused with the reason why not)."""
    return closing.submit_unit_month(report.period, report.unit, user, holds(report))


def reopen(report: MonthReport, user, reason: str):
    """The office reopens ``report``'s unit month, saying why."""
    return closing.reopen_unit_month(report.period, report.unit, user, reason)
