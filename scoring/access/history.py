"""The site history, scoped: each role reads the log entries of the rows it may see.

Wagtail's site history lists every entry of any model the user holds a permission on, so
a desk officer would read other desks' receipts and tokens. Here each feature names, by
the ``register_log_scope`` hook, a model and the function giving the rows a user sees;
:func:`scoring.access.policy.visible_log_entries` keeps the entries of those rows only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from wagtail import hooks
from wagtail.admin.views.reports.audit_logging import LogEntriesView, SiteHistoryReportFilterSet
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import ModelLogEntry, PageLogEntry

from .policy import visible_log_entries, visible_staff, visible_units


def log_scopes(user: Any) -> dict[Any, QuerySet]:
    """Each scoped model with the rows ``user`` sees (the organisation here, the rest by
    the features' hooks)."""
    from scoring.organisation.models import Staff, Unit

    scopes: dict[Any, QuerySet] = {Staff: visible_staff(user), Unit: visible_units(user)}
    for register in hooks.get_hooks("register_log_scope"):
        model, rows_for = register()
        scopes[model] = rows_for(user)
    return scopes


def scoped_entries(user: Any, entries: QuerySet) -> QuerySet:
    """``entries`` (model log entries, or values of them) narrowed to ``user``'s scope.

    The scopes are worked out once a request and kept on the user, as Wagtail keeps the
    content types a user may read (``viewable_by_user``)."""
    if not hasattr(user, "_log_scopes"):
        user._log_scopes = log_scopes(user)
    return visible_log_entries(user, entries, user._log_scopes)


class ScopedSiteHistoryFilterSet(SiteHistoryReportFilterSet):
    """The site history's filters offer only the actions of the entries in scope (the
    choices alone would tell a desk officer that another desk's token was renewed)."""

    def get_action_choices(self):
        user = self.request.user
        actions = set(
            scoped_entries(user, ModelLogEntry.objects.viewable_by_user(user)).get_actions()
        )
        actions |= set(PageLogEntry.objects.viewable_by_user(user).get_actions())
        return [choice for choice in log_action_registry.get_choices() if choice[0] in actions]


class ScopedLogEntriesView(LogEntriesView):
    """Wagtail's site history, each model log entry through the policy's scope."""

    filterset_class = ScopedSiteHistoryFilterSet

    def filter_queryset(self, queryset):
        if queryset.model is ModelLogEntry:
            queryset = scoped_entries(self.request.user, queryset)
        return super().filter_queryset(queryset)
