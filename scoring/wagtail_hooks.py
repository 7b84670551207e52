"""Register the domain's admin: the Organisation menu, the route report, role checks."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from .admin import (  # noqa: F401  (their hooks register on import)
    cycle,
    desks,
    imports,
    month,
    ratings_report,
)
from .admin.organisation import UnresolvedRouteReportView, organisation_group


@hooks.register("register_admin_viewset")
def register_organisation():
    return organisation_group(extra_menu_items=imports.menu_items())


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path(
            "reports/unresolved-routes/",
            UnresolvedRouteReportView.as_view(),
            name="scoring_unresolved_routes",
        ),
        path(
            "reports/unresolved-routes/results/",
            UnresolvedRouteReportView.as_view(results_only=True),
            name="scoring_unresolved_routes_results",
        ),
    ]


class StaffManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("scoring.change_staff")


@hooks.register("register_reports_menu_item")
def register_unresolved_routes_menu_item():
    return StaffManagerMenuItem(
        _("Unresolved evaluator routes"),
        reverse("scoring_unresolved_routes"),
        icon_name="warning",
        order=700,
    )


@hooks.register("register_admin_urls")
def register_import_urls():
    return imports.register_urls()


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
]


@hooks.register("register_log_actions")
def register_scoring_log_actions(actions):
    """The audit log's words for every change of a sheet or a month."""
    actions.register_action("scoring.score")(ScoreChangeFormatter)
    for action, label, message in LOG_ACTIONS:
        actions.register_action(action)(formatter(label, message))
