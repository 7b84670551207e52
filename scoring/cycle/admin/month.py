"""The staff member's month ("Tháng của tôi") and the evaluator's queue ("Đánh giá cán bộ").

Who may see a sheet is decided per sheet: its owner, its evaluator (or a member of its
council) and the home-affairs office (``scoring.view_evaluation``). Anyone else gets a
404, so a forged URL or POST for someone else's sheet learns nothing. Every change goes
through :mod:`scoring.cycle.sheets`, which checks the month, the state and the version.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.models import ModelLogEntry

from scoring import engine
from scoring.access.policy import (
    is_evaluator,
    is_owner,
    may_read_sheet,
    queue_filter,
    reads_every_sheet,
    staff_of,
)
from scoring.calendar.models import Period
from scoring.criteria.models import WorkProduct
from scoring.cycle import sheets
from scoring.cycle.models import Evaluation, WorkItem
from scoring.lib.admin import TitledMixin

State = Evaluation.State


# --- Forms -----------------------------------------------------------------------------


class WorkItemForm(forms.ModelForm):
    """One line of the month's work plan."""

    class Meta:
        model = WorkItem
        fields = ["product", "quantity", "deadline", "description"]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, period: Period | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.period = period
        self.fields["product"].queryset = WorkProduct.objects.filter(active=True)

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if self.period and not (
            self.period.first_day <= deadline <= self.period.evaluation_deadline
        ):
            raise ValidationError(_("The deadline must fall within the month being evaluated."))
        return deadline


def points_form(data: sheets.SheetData, prefix: str, note_label: str, initial: dict) -> type:
    """A form with a points field and a note for every line typed in.

    The person types the entered lines; the evaluator also scores by hand a task-result
    line that no work plan computes (:func:`scoring.cycle.sheets.hand_scored`).
    """
    fields = {}
    for criterion in data.criteria:
        typed = sheets.hand_scored(criterion, data) if prefix == "final" else criterion.is_entered
        if not typed:
            continue
        fields[f"points_{criterion.pk}"] = forms.DecimalField(
            label=str(criterion),
            required=False,
            min_value=Decimal("0"),
            max_value=criterion.max_points,
            decimal_places=2,
            localize=True,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
        )
        fields[f"note_{criterion.pk}"] = forms.CharField(
            label=note_label, required=False, max_length=500
        )
    fields["version"] = forms.IntegerField(widget=forms.HiddenInput)
    return type(f"{prefix.title()}PointsForm", (forms.Form,), fields)


def entries_from(form: forms.Form, data: sheets.SheetData) -> dict[int, tuple]:
    return {
        c.pk: (form.cleaned_data.get(f"points_{c.pk}"), form.cleaned_data.get(f"note_{c.pk}"))
        for c in data.criteria
        # Only lines present in the submitted form: an absent field leaves the line as is.
        if f"points_{c.pk}" in form.fields and f"points_{c.pk}" in form.data
    }


def results_from(request, data: sheets.SheetData) -> dict[int, dict]:
    """Read the results table (done, delays, major errors, objective cause) per item."""
    results = {}
    for item in data.items:
        key = f"item_{item.pk}_"
        if f"{key}seen" not in request.POST:
            continue
        try:
            delays = int(request.POST.get(f"{key}delays") or 0)
            errors = int(request.POST.get(f"{key}major_errors") or 0)
        except ValueError:
            raise ValidationError(_("Delays and major errors are whole numbers.")) from None
        if delays < 0 or errors < 0 or delays > 99 or errors > 99:
            raise ValidationError(_("Delays and major errors are whole numbers from 0 to 99."))
        results[item.pk] = {
            "done": request.POST.get(f"{key}done") == "on",
            "delays": delays,
            "major_errors": errors,
            "objective_cause": request.POST.get(f"{key}objective_cause") == "on",
        }
    return results


# --- Views ---------------------------------------------------------------------------


class SheetMixin(TitledMixin):
    """Load a sheet the user may read, in a fixed number of queries."""

    header_icon = "form"
    template_name = "scoring/month/sheet.html"

    def load_sheet(self, evaluation_id: int) -> sheets.SheetData:
        try:
            data = sheets.load(evaluation_id)
        except Evaluation.DoesNotExist:
            raise Http404 from None
        user = self.request.user
        evaluation = data.evaluation
        if not may_read_sheet(user, evaluation):
            raise Http404
        self.owner = is_owner(user, evaluation)
        self.evaluator = is_evaluator(user, evaluation)
        return data

    def sheet_context(self, data: sheets.SheetData, **forms_) -> dict:
        evaluation = data.evaluation
        today = timezone.localdate()
        # A closed month shows what was frozen; an open one is scored as it stands.
        result = sheets.frozen_result if evaluation.period.is_closed else sheets.score
        self_result, final_result = result(data, "self"), result(data, "final")
        rows = sheet_rows(data, self_result, final_result, forms_.get("points_form"))
        return {
            "data": data,
            "evaluation": evaluation,
            "period": evaluation.period,
            "rows": rows,
            "self_result": self_result,
            "final_result": final_result,
            "self_level": engine.level_label(self_result.level) if self_result.level else "",
            "final_level": engine.level_label(final_result.level) if final_result.level else "",
            "owner": self.owner,
            "evaluator": self.evaluator,
            "can_edit": self.owner and sheets.edit_refusal(evaluation) is None,
            "can_plan": self.owner and sheets.plan_refusal(evaluation, today) is None,
            "can_self_score": self.owner and sheets.self_scoring_refusal(evaluation) is None,
            "can_evaluate": self.evaluator
            and sheets.evaluation_refusal(evaluation, has_plan=bool(data.items)) is None,
            "history": ModelLogEntry.objects.filter(
                content_type__app_label="scoring",
                content_type__model="evaluation",
                object_id=str(evaluation.pk),
            ).select_related("user")[:50],
            "overdue": overdue_flags(evaluation, today),
            "sheet_panels": self.sheet_panels(data),
            **forms_,
        }

    def sheet_panels(self, data: sheets.SheetData) -> list:
        """Panels the features above the cycle add to a sheet page (a contest, …), through
        the ``construct_sheet_panels`` hook: ``fn(request, data, panels)``."""
        panels: list = []
        for add_panels in hooks.get_hooks("construct_sheet_panels"):
            add_panels(self.request, data, panels)
        return panels


def sheet_rows(data, self_result, final_result, form=None) -> list[dict]:
    """Each line with its self and final points side by side, the reason, and its fields."""
    self_lines = {line.code: line for line in self_result.lines}
    final_lines = {line.code: line for line in final_result.lines}
    rows = []
    for criterion in data.criteria:
        score = data.scores.get(criterion.pk)
        rows.append(
            {
                "criterion": criterion,
                "score": score,
                "self": self_lines.get(criterion.code),
                "final": final_lines.get(criterion.code),
                "differs": bool(
                    score
                    and score.final_points is not None
                    and score.final_points != score.self_points
                ),
                "by_hand": sheets.hand_scored(criterion, data),
                "points_field": _bound(form, f"points_{criterion.pk}"),
                "note_field": _bound(form, f"note_{criterion.pk}"),
            }
        )
    return rows


def _bound(form, name):
    return form[name] if form is not None and name in form.fields else None


def overdue_flags(evaluation: Evaluation, today) -> list[str]:
    """Which of this sheet's deadlines have passed with the step not done."""
    period = evaluation.period
    flags = []
    if period.is_closed:
        return flags
    if evaluation.is_editable_by_staff and today > period.self_deadline:
        flags.append(_("self-scoring overdue"))
    if evaluation.state == State.SUBMITTED and today > period.evaluation_deadline:
        flags.append(_("evaluation overdue"))
    return flags


class MyMonthView(SheetMixin, TemplateView):
    """The person's own sheet for a month, with every step they can take."""

    page_title = gettext_lazy("My month")

    def get(self, request, *args, **kwargs):
        person = staff_of(request.user)
        self.sheets_of_person = (
            list(
                Evaluation.objects.filter(staff=person)
                .select_related("period")
                .order_by("-period__year", "-period__month")
            )
            if person
            else []
        )
        if not self.sheets_of_person:
            return self.render_to_response({"no_sheet": True, "person": person})
        chosen = self.choose(request.GET.get("period"))
        data = self.load_sheet(chosen.pk)
        context = self.sheet_context(data, **self.forms(data))
        context["sheets_of_person"] = self.sheets_of_person
        return self.render_to_response(self.get_context_data(**context))

    def choose(self, period_id) -> Evaluation:
        for evaluation in self.sheets_of_person:
            if str(evaluation.period_id) == period_id:
                return evaluation
        open_sheets = [e for e in self.sheets_of_person if not e.period.is_closed]
        return (open_sheets or self.sheets_of_person)[0]

    def forms(self, data: sheets.SheetData) -> dict:
        evaluation = data.evaluation
        initial = {"version": evaluation.version}
        for criterion_id, score in data.scores.items():
            initial[f"points_{criterion_id}"] = score.self_points
            initial[f"note_{criterion_id}"] = score.self_reason
        form_class = points_form(data, "self", _("reason"), initial)
        return {
            "points_form": form_class(initial=initial),
            "item_form": WorkItemForm(period=evaluation.period),
        }


class SheetActionView(SheetMixin, TemplateView):
    """POST-only actions on a sheet; each redirects back with a message."""

    http_method_names = ["post"]

    def post(self, request, evaluation_id: int, action: str):
        data = self.load_sheet(evaluation_id)
        handler = getattr(self, f"do_{action.replace('-', '_')}", None)
        if handler is None:
            raise Http404
        try:
            handler(data, self.posted_version())
        except PermissionDenied:
            return HttpResponseForbidden(_("You may not do this on this sheet."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect(self.back_url(data))

    def posted_version(self) -> int:
        try:
            return int(self.request.POST.get("version", ""))
        except ValueError:
            raise ValidationError(_("The form is incomplete: reload the page.")) from None

    def back_url(self, data) -> str:
        evaluation = data.evaluation
        if self.owner:
            return reverse("scoring_my_month") + f"?period={evaluation.period_id}"
        return reverse("scoring_review", args=[evaluation.pk])

    def require_owner(self):
        if not self.owner:
            raise PermissionDenied

    def require_evaluator(self):
        if not self.evaluator:
            raise PermissionDenied

    def do_add_item(self, data, version):
        self.require_owner()
        form = WorkItemForm(self.request.POST, period=data.evaluation.period)
        if not form.is_valid():
            raise ValidationError([f"{e}" for errors in form.errors.values() for e in errors])
        sheets.add_work_item(data, self.request.user, form.save(commit=False), version)
        messages.success(self.request, _("The work item was added to your plan."))

    def do_remove_item(self, data, version):
        self.require_owner()
        try:
            item_id = int(self.request.POST.get("item", ""))
        except ValueError:
            raise ValidationError(_("That work item is not on this sheet.")) from None
        sheets.remove_work_item(data, self.request.user, item_id, version)
        messages.success(self.request, _("The work item was removed."))

    def do_results(self, data, version):
        if not (self.owner or self.evaluator):
            raise PermissionDenied
        by_evaluator = self.evaluator and not self.owner
        results = results_from(self.request, data)
        sheets.record_results(data, self.request.user, results, version, by_evaluator)
        messages.success(self.request, _("The results were saved."))

    def do_self_score(self, data, version):
        self.require_owner()
        form = points_form(data, "self", _("reason"), {})(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        sheets.save_self_scores(data, self.request.user, entries_from(form, data), version)
        messages.success(self.request, _("Your self-assessment was saved."))

    def do_submit(self, data, version):
        self.require_owner()
        sheets.submit(data, self.request.user, version)
        messages.success(self.request, _("Your sheet was submitted to your evaluator."))

    def do_return(self, data, version):
        self.require_evaluator()
        sheets.return_sheet(data, self.request.user, self.request.POST.get("comment", ""), version)
        messages.success(self.request, _("The sheet was returned for correction."))

    def do_approve_plan(self, data, version):
        self.require_evaluator()
        sheets.approve_plan(data, self.request.user, version)
        messages.success(self.request, _("The work plan was approved."))

    def do_approve(self, data, version):
        self.require_evaluator()
        form = points_form(data, "final", _("comment"), {})(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        result = sheets.approve(data, self.request.user, entries_from(form, data), version)
        messages.success(
            self.request,
            _("Evaluated: %(total)s points, %(level)s.")
            % {"total": result.total, "level": engine.level_label(result.level)},
        )


def _form_errors(form: forms.Form) -> list[str]:
    """Field errors prefixed with the line they belong to."""
    return [
        f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
        for name, errors in form.errors.items()
        for error in errors
    ]


class ReviewView(SheetMixin, TemplateView):
    """The evaluator's page for one sheet: self and final points side by side."""

    page_title = gettext_lazy("Evaluate a sheet")

    def get(self, request, evaluation_id: int):
        data = self.load_sheet(evaluation_id)
        evaluation = data.evaluation
        initial = {"version": evaluation.version}
        for criterion_id, score in data.scores.items():
            final = score.final_points if score.final_points is not None else score.self_points
            initial[f"points_{criterion_id}"] = final
            initial[f"note_{criterion_id}"] = score.final_comment
        form = points_form(data, "final", _("comment"), initial)(initial=initial)
        context = self.sheet_context(data, points_form=form, review=True)
        context["page_subtitle"] = str(evaluation)
        return self.render_to_response(self.get_context_data(**context))


class QueueView(TitledMixin, TemplateView):
    """Everyone routed to me this month, with their state; the office sees everyone."""

    page_title = gettext_lazy("Evaluate staff")
    header_icon = "tasks"
    template_name = "scoring/month/queue.html"
    paginate_by = 100

    def get(self, request, *args, **kwargs):
        if not sheets.has_queue(request.user):
            raise PermissionDenied
        periods = list(Period.objects.all()[:24])
        period = self.choose_period(periods, request.GET.get("period"))
        sheets_qs = self.sheets(period)
        today = timezone.localdate()
        rows = list(sheets_qs[: self.paginate_by * 10]) if period else []
        for evaluation in rows:
            evaluation.overdue = overdue_flags(evaluation, today)
            evaluation.level_label = (
                engine.level_label(evaluation.level) if evaluation.level else ""
            )
        context = {
            "periods": periods,
            "period": period,
            "rows": rows,
            "query": request.GET.get("q", ""),
            "counts": _counts(rows),
        }
        return self.render_to_response(self.get_context_data(**context))

    def choose_period(self, periods, period_id):
        for period in periods:
            if str(period.pk) == period_id:
                return period
        return next((p for p in periods if not p.is_closed), periods[0] if periods else None)

    def sheets(self, period):
        queryset = Evaluation.objects.filter(period=period).select_related(
            "period", "staff", "unit", "position", "council", "evaluator"
        )
        if not reads_every_sheet(self.request.user):
            queryset = queryset.filter(queue_filter(self.request.user))
        query = self.request.GET.get("q", "").strip()
        if query:
            queryset = queryset.filter(
                Q(staff__full_name__icontains=query) | Q(staff__code__icontains=query)
            )
        return queryset.order_by("unit__path", "staff__full_name")


def _counts(rows) -> dict[str, int]:
    counts = {state: 0 for state in State.values}
    for evaluation in rows:
        counts[evaluation.state] += 1
    return counts


# --- Registration ----------------------------------------------------------------------


def admin_urls() -> list:
    return [
        path("month/mine/", MyMonthView.as_view(), name="scoring_my_month"),
        path("month/queue/", QueueView.as_view(), name="scoring_queue"),
        path("month/sheet/<int:evaluation_id>/", ReviewView.as_view(), name="scoring_review"),
        path(
            "month/sheet/<int:evaluation_id>/<slug:action>/",
            SheetActionView.as_view(),
            name="scoring_sheet_action",
        ),
    ]


class MyMonthMenuItem(MenuItem):
    def is_shown(self, request):
        return staff_of(request.user) is not None


class QueueMenuItem(MenuItem):
    def is_shown(self, request):
        return sheets.has_queue(request.user)


def my_month_menu_item() -> MenuItem:
    return MyMonthMenuItem(
        gettext_lazy("My month"), reverse("scoring_my_month"), icon_name="date", order=10
    )


def queue_menu_item() -> MenuItem:
    return QueueMenuItem(
        gettext_lazy("Evaluate staff"), reverse("scoring_queue"), icon_name="tasks", order=20
    )


class MonthPanel(Component):
    """The dashboard's first panel: where my sheet stands and what waits for me."""

    name = "scoring_month"
    order = 50
    template_name = "scoring/month/dashboard_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        user = self.request.user
        person = staff_of(user)
        mine = (
            Evaluation.objects.filter(staff=person, period__state__in=OPEN_STATES)
            .select_related("period")
            .order_by("-period__year", "-period__month")
            .first()
            if person
            else None
        )
        waiting = (
            Evaluation.objects.filter(queue_filter(user), state=State.SUBMITTED)
            .exclude(period__state=Period.State.CLOSED)
            .count()
        )
        return {"mine": mine, "waiting": waiting, "has_queue": waiting or sheets.has_queue(user)}


OPEN_STATES = [Period.State.OPEN, Period.State.SELF_SCORING, Period.State.EVALUATION]
