"""Wagtail admin for oversight: the quota rules, the quota page and the objectivity report.

The office (``scoring.view_quotadecision``) reads every unit; a unit head the units they
head and those below them (:mod:`scoring.access.policy`). The head of a unit records who
keeps level 1 when a group breaks its quota. Every page computes its figures with the
services of this package in a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.viewsets.model import ModelViewSet

from scoring import engine
from scoring.access.policy import (
    may_decide_quota,
    may_lock_month,
    may_oversee,
    may_oversee_unit,
    may_reopen_month,
    may_reopen_unit_month,
    may_submit_unit_month,
    overseen_unit_paths,
)
from scoring.calendar.models import Period
from scoring.cycle import closing
from scoring.engine.quota import describe_cap
from scoring.lib.admin import IndexView, PagesFirstGroup, TitledMixin, date_column, live_forms
from scoring.lib.document_views import document_links, document_response, requested_format
from scoring.organisation.models import Unit

from . import submission
from .locality import locality_document, locality_report
from .models import QuotaRule
from .month_report import month_document, month_report
from .objectivity import objectivity_report
from .quota import quota_check, quota_checks, record_decision, units_with_sheets

# --- The rules ------------------------------------------------------------------------


class QuotaRuleForm(WagtailAdminModelForm):
    """Checks what spans the rule and its duty groups: a cap, groups when grouping by
    them, and each position in one duty group at most."""

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("percent_of_good") is None and (
            cleaned_data.get("percent_of_all") is None
        ):
            self.add_error(
                "percent_of_good", _("Give at least one cap: of those at level 2 or of everyone.")
            )
        groups = self.formsets["duty_groups"]
        if groups.is_valid():
            self.check_duty_groups(cleaned_data.get("grouping"), live_forms(groups))
        return cleaned_data

    def check_duty_groups(self, grouping: str | None, forms: list) -> None:
        if grouping == QuotaRule.Grouping.DUTY_GROUP and not forms:
            self.add_error("grouping", _("List the duty groups, or choose another grouping."))
        seen: set[int] = set()
        for form in forms:
            positions = {position.pk for position in form.cleaned_data.get("positions") or []}
            if positions & seen:
                form.add_error("positions", _("A position belongs to one duty group only."))
            seen |= positions


class QuotaRuleViewSet(ModelViewSet):
    """The office keeps the quota rules: which shares cap level 1, and how people group."""

    model = QuotaRule
    icon = "group"
    menu_label = gettext_lazy("Quota rules")
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = IndexView
    list_display = ["name", date_column(QuotaRule, "valid_from"), "grouping", "priority"]
    edit_handler = ObjectList(QuotaRule.panels, base_form_class=QuotaRuleForm)
    search_backend_name = None


# --- Choosing the month and the unit --------------------------------------------------


def choose_period(
    periods: list[Period], wanted: str | None, next_to_lock: bool = False
) -> Period | None:
    """The month asked for, else the latest one that is not closed (with
    ``next_to_lock``, the earliest: the one the office consolidates next), else the
    latest."""
    for period in periods:
        if str(period.pk) == wanted:
            return period
    unlocked = [p for p in periods if not p.is_closed]  # newest first
    if unlocked:
        return unlocked[-1] if next_to_lock else unlocked[0]
    return periods[0] if periods else None


class OversightMixin(TitledMixin):
    """The office and unit heads only; others get 403."""

    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not may_oversee(request.user):
            raise PermissionDenied
        self.unit_paths = overseen_unit_paths(request.user)
        self.periods = list(Period.objects.all()[:24])
        return super().dispatch(request, *args, **kwargs)

    def back(self, request) -> str:
        """This page without ``?format=``: where a printed document links back to."""
        query = request.GET.copy()
        query.pop("format", None)
        return f"{request.path}?{query.urlencode()}" if query else request.path


# --- The quota page -------------------------------------------------------------------


class QuotaView(OversightMixin, TemplateView):
    """One unit's month: each group's counts, cap, margin and the head's decision; or,
    without a unit, every unit of the month with whether its quota is kept."""

    page_title = gettext_lazy("Quota of level 1")
    template_name = "scoring/oversight/quota.html"

    def get(self, request, *args, **kwargs):
        period = choose_period(self.periods, request.GET.get("period"))
        units = units_with_sheets(period, self.unit_paths) if period else []
        unit = self.choose_unit(units, request.GET.get("unit"))
        context = {"periods": self.periods, "period": period, "units": units, "unit": unit}
        if unit is not None:
            check = quota_check(unit, period)
            context.update(check=check, may_decide=may_decide_quota(request.user, unit))
            context["cap_words"] = describe_cap(check.cap) if check.cap.is_set else ""
        elif period is not None:
            context["overview"] = quota_checks(units, period)
        context["levels"] = [(level, engine.level_label(level)) for level in engine.Level]
        return self.render_to_response(self.get_context_data(**context))

    def choose_unit(self, units: list[Unit], wanted: str | None) -> Unit | None:
        if not wanted:
            return None
        for unit in units:
            if str(unit.pk) == wanted:
                return unit
        raise Http404  # a unit the user may not follow: as if it did not exist

    def post(self, request, *args, **kwargs):
        period = choose_period(self.periods, request.POST.get("period"))
        try:
            unit = Unit.objects.get(pk=request.POST.get("unit"))
        except (Unit.DoesNotExist, ValueError):
            raise Http404 from None
        if period is None or not may_oversee_unit(request.user, unit):
            raise Http404
        if not may_decide_quota(request.user, unit):
            raise PermissionDenied
        keep = {int(value) for value in request.POST.getlist("keep") if value.isdigit()}
        try:
            record_decision(
                unit,
                period,
                request.POST.get("group", ""),
                keep,
                request.POST.get("reason", ""),
                request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The decision was recorded as the unit's proposal."))
        url = reverse("scoring_oversight_quota")
        return redirect(f"{url}?period={period.pk}&unit={unit.pk}")


# --- The unit month report -------------------------------------------------------------


class MonthReportView(OversightMixin, TemplateView):
    """One unit's month: every sheet, the counts per level, the mean, the late sheets and
    the quota; also as the signed document (``?format=print|xlsx|csv``). The unit head
    submits it to the office here; the office reopens a submitted one, saying why."""

    page_title = gettext_lazy("Unit month report")
    template_name = "scoring/oversight/month_report.html"

    def get(self, request, *args, **kwargs):
        period = choose_period(self.periods, request.GET.get("period"))
        units = units_with_sheets(period, self.unit_paths) if period else []
        unit = self.choose_unit(units, request.GET.get("unit"))
        report = month_report(unit, period) if unit is not None else None
        if report is not None and requested_format(request) is not None:
            return document_response(request, month_document(report), back=self.back(request))
        context = {
            "periods": self.periods,
            "period": period,
            "units": units,
            "unit": unit,
            "report": report,
            "document_links": document_links(request) if report is not None else [],
        }
        if report is not None:
            context.update(self.actions(report))
        return self.render_to_response(self.get_context_data(**context))

    def actions(self, report) -> dict:
        """What the user may do with the report now, and why not."""
        user = self.request.user
        context = {}
        if may_submit_unit_month(user, report.unit):
            context["submit_refusal"] = submission.submission_refusal(report)
            context["may_submit"] = context["submit_refusal"] is None
        if may_reopen_unit_month(user):
            context["may_reopen"] = closing.unit_reopen_refusal(report.period, report.unit) is None
        return context

    def post(self, request, *args, **kwargs):
        period = choose_period(self.periods, request.POST.get("period"))
        units = units_with_sheets(period, self.unit_paths) if period else []
        unit = self.choose_unit(units, request.POST.get("unit") or "-")
        report = month_report(unit, period)
        action = request.POST.get("action")
        if action == "submit" and may_submit_unit_month(request.user, unit):
            done = _("The report of %(unit)s for %(month)s was submitted to the office.")
            call = lambda: submission.submit(report, request.user)  # noqa: E731
        elif action == "reopen" and may_reopen_unit_month(request.user):
            done = _("The month of %(unit)s is reopened: its sheets can change again.")
            call = lambda: submission.reopen(  # noqa: E731
                report, request.user, request.POST.get("reason", "")
            )
        else:
            raise PermissionDenied
        try:
            call()
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, done % {"unit": unit.name, "month": period})
        url = reverse("scoring_oversight_month")
        return redirect(f"{url}?period={period.pk}&unit={unit.pk}")

    def choose_unit(self, units: list[Unit], wanted: str | None) -> Unit | None:
        if not wanted:
            return units[0] if units else None
        for unit in units:
            if str(unit.pk) == wanted:
                return unit
        raise Http404  # a unit the user may not follow: as if it did not exist


# --- The locality month report ---------------------------------------------------------


class LocalityReportView(OversightMixin, TemplateView):
    """Every unit of the month side by side, each linking to its report; the office
    locks the month from here (the lock's own page asks for any exception)."""

    page_title = gettext_lazy("Locality month report")
    template_name = "scoring/oversight/locality.html"

    def get(self, request, *args, **kwargs):
        period = choose_period(self.periods, request.GET.get("period"), next_to_lock=True)
        report = locality_report(period, unit_paths=self.unit_paths) if period else None
        if report is not None and requested_format(request) is not None:
            return document_response(request, locality_document(report), back=self.back(request))
        context = {
            "periods": self.periods,
            "period": period,
            "report": report,
            "document_links": document_links(request) if report is not None else [],
            "whole_locality": self.unit_paths is None,
        }
        if period is not None and self.unit_paths is None:
            context["may_lock"] = may_lock_month(request.user) and not period.is_closed
            context["may_reopen_month"] = may_reopen_month(request.user) and period.is_closed
        return self.render_to_response(self.get_context_data(**context))


# --- The objectivity report -----------------------------------------------------------


class ObjectivityView(OversightMixin, TemplateView):
    """The month's flags per evaluator and per unit, each with the sheets behind it."""

    page_title = gettext_lazy("Objectivity checks")
    template_name = "scoring/oversight/objectivity.html"

    def get(self, request, *args, **kwargs):
        period = choose_period(self.periods, request.GET.get("period"))
        report = objectivity_report(period, self.unit_paths) if period else None
        by = request.GET.get("by")
        context = {
            "periods": self.periods,
            "period": period,
            "report": report,
            "by": by if by in ("evaluator", "unit") else "evaluator",
        }
        if report is not None:
            context["groups"] = report.by_unit if context["by"] == "unit" else report.by_evaluator
        return self.render_to_response(self.get_context_data(**context))


# --- Menus and registration ------------------------------------------------------------


class OversightMenuItem(MenuItem):
    def is_shown(self, request):
        return may_oversee(request.user)


class OversightGroup(PagesFirstGroup):
    """The "Oversight" menu: the quota page, the unit month report, the objectivity
    report, the quota rules."""

    menu_label = gettext_lazy("Oversight")
    menu_name = "oversight"
    menu_icon = "group"
    menu_order = 160
    items = (QuotaRuleViewSet("quota_rules"),)

    def page_items(self):
        return [
            OversightMenuItem(
                gettext_lazy("Quota of level 1"),
                reverse("scoring_oversight_quota"),
                name="oversight-quota",
                icon_name="group",
                order=10,
            ),
            OversightMenuItem(
                gettext_lazy("Unit month report"),
                reverse("scoring_oversight_month"),
                name="oversight-month",
                icon_name="table",
                order=15,
            ),
            OversightMenuItem(
                gettext_lazy("Locality month report"),
                reverse("scoring_oversight_locality"),
                name="oversight-locality",
                icon_name="list-ul",
                order=12,
            ),
            OversightMenuItem(
                gettext_lazy("Objectivity checks"),
                reverse("scoring_oversight_objectivity"),
                name="oversight-objectivity",
                icon_name="warning",
                order=20,
            ),
        ]


def admin_urls() -> list:
    return [
        path("oversight/quota/", QuotaView.as_view(), name="scoring_oversight_quota"),
        path("oversight/month/", MonthReportView.as_view(), name="scoring_oversight_month"),
        path(
            "oversight/locality/", LocalityReportView.as_view(), name="scoring_oversight_locality"
        ),
        path(
            "oversight/objectivity/",
            ObjectivityView.as_view(),
            name="scoring_oversight_objectivity",
        ),
    ]


def register_log_actions(actions) -> None:
    actions.register_action(
        "scoring.quota_decision",
        gettext_lazy("Decide on the quota"),
        gettext_lazy("Quota decision recorded"),
    )
