"""How the audit log reads the changes of a sheet and of a month."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter


class ScoreChangeFormatter(LogFormatter):
    label = _("Change a score")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        field = _("self-assessed") if data.get("field") == "self_points" else _("final")
        return "; ".join(
            _("Line %(line)s (%(field)s): %(old)s → %(new)s %(note)s")
            % {
                "line": change.get("line", ""),
                "field": field,
                "old": change.get("old") or "–",
                "new": change.get("new") or "–",
                "note": f"({change['note']})" if change.get("note") else "",
            }
            for change in data.get("changes", [])
        )


def formatter(label_text, message_text):
    """A log formatter whose message is filled in from the entry's data."""

    class Formatter(LogFormatter):
        label = label_text

        def format_message(self, log_entry):
            data = log_entry.data or {}
            message = str(message_text) % data if "%(" in str(message_text) else message_text
            comment = data.get("return_comment")
            return f"{message}: {comment}" if comment else str(message)

    return Formatter


LOG_ACTIONS = [
    ("scoring.submitted", _("Submit a sheet"), _("Sheet submitted for evaluation")),
    ("scoring.returned", _("Return a sheet"), _("Sheet returned for correction")),
    ("scoring.approved", _("Evaluate a sheet"), _("Sheet evaluated")),
    ("scoring.evaluator", _("Change the evaluator"), _("Evaluator changed")),
    ("scoring.plan", _("Change the work plan"), _("Work plan changed")),
    ("scoring.open_period", _("Open a month"), _("Month opened: %(created)s sheets made")),
    ("scoring.period_state", _("Move a month forward"), _("Month moved from %(old)s to %(new)s")),
    ("scoring.close_period", _("Close a month"), _("Month closed: %(sheets)s sheets frozen")),
    ("scoring.reopen_period", _("Reopen a month"), _("Month reopened: %(reason)s")),
    (
        "scoring.unit_month_submitted",
        _("Submit a unit's month report"),
        _("Report of %(unit)s submitted to the office"),
    ),
    (
        "scoring.unit_month_reopened",
        _("Reopen a unit's month"),
        _("Month of %(unit)s reopened: %(reason)s"),
    ),
    (
        "scoring.revised",
        _("Revise a final score"),
        _("Final score revised from %(old_total)s to %(new_total)s: %(reason)s"),
    ),
    ("scoring.excused", _("Excuse a month"), _("Absent for good cause the whole month")),
    (
        "scoring.draft",
        _("Restore a sheet"),
        _("No longer absent the whole month: the sheet is due"),
    ),
]


def register_log_actions(actions) -> None:
    """The audit log's words for every change of a sheet or a month."""
    actions.register_action("scoring.score")(ScoreChangeFormatter)
    for action, label, message in LOG_ACTIONS:
        actions.register_action(action)(formatter(label, message))
