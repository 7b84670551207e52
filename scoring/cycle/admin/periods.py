"""Wagtail admin for periods: open a month, move it forward, close it."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateInput, Button, HeaderButton

from scoring.access.policy import may_reopen_month
from scoring.calendar.models import Period
from scoring.cycle import closing, jobs, periods
from scoring.cycle.models import Evaluation
from scoring.jobs import runner
from scoring.lib.admin import IndexView, ProtectedDeleteView, date_column
from scoring.lib.months import month_value, parse_month, validate_plausible_date

# --- Periods -----------------------------------------------------------------------

DEADLINES = ("plan_deadline", "self_deadline", "evaluation_deadline")


class OpenPeriodForm(forms.Form):
    """A month and its deadlines; deadlines left as prefilled follow the chosen month."""

    month = forms.CharField(
        label=capfirst(_("month")),
        widget=forms.TextInput(attrs={"type": "month"}),
        help_text=_("Year and month, e.g. 2026-03. Deadlines left as prefilled follow it."),
    )
    prefilled_for = forms.CharField(widget=forms.HiddenInput, required=False)
    job_key = forms.CharField(widget=forms.HiddenInput, required=False)
    plan_deadline = forms.DateField(
        label=capfirst(_("work plan deadline")),
        required=False,
        widget=AdminDateInput,
        validators=[validate_plausible_date],
    )
    self_deadline = forms.DateField(
        label=capfirst(_("self-scoring deadline")),
        required=False,
        widget=AdminDateInput,
        validators=[validate_plausible_date],
    )
    evaluation_deadline = forms.DateField(
        label=capfirst(_("evaluation deadline")),
        required=False,
        widget=AdminDateInput,
        validators=[validate_plausible_date],
    )

    def clean_month(self) -> tuple[int, int]:
        return parse_month(self.cleaned_data["month"])

    def clean(self):
        cleaned_data = super().clean()
        if "month" not in cleaned_data:
            return cleaned_data
        year, month = cleaned_data["month"]
        if Period.objects.filter(year=year, month=month, state=Period.State.CLOSED).exists():
            raise ValidationError(
                _("Month %(month)02d/%(year)d is closed: no sheet can be added.")
                % {"month": month, "year": year}
            )
        self.deadlines = self.chosen_deadlines(year, month)
        if not self.deadlines_plausible():
            return cleaned_data
        values = [self.deadlines[name] for name in DEADLINES]
        if values != sorted(values):
            raise ValidationError(
                _("Deadlines go in order: work plan, then self-scoring, then evaluation.")
            )
        return cleaned_data

    def deadlines_plausible(self) -> bool:
        """Typed deadlines were checked by their fields; those left follow the month."""
        for day in self.deadlines.values():
            try:
                validate_plausible_date(day)
            except ValidationError as error:
                self.add_error("month", error)
                return False
        return True

    def chosen_deadlines(self, year: int, month: int) -> dict[str, datetime.date]:
        defaults = periods.default_deadlines(year, month)
        try:
            prefilled = periods.default_deadlines(*parse_month(self.cleaned_data["prefilled_for"]))
        except ValidationError:
            prefilled = {}
        chosen = {}
        for name in DEADLINES:
            value = self.cleaned_data.get(name)
            chosen[name] = defaults[name] if value in (None, prefilled.get(name)) else value
        return chosen


class OpenPeriodView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Open a month for everyone (again: adds sheets for people who joined since)."""

    model = Period
    permission_required = "change"
    form_class = OpenPeriodForm
    template_name = "wagtailadmin/generic/form.html"
    page_title = _("Open a month")
    header_icon = "date"
    index_url_name: str | None = None
    edit_url_name: str | None = None

    def get_initial(self):
        try:
            year, month = parse_month(self.request.GET.get("month", ""))
        except ValidationError:
            year, month = periods.month_to_open()
        value = month_value(year, month)
        return {
            "month": value,
            "prefilled_for": value,
            "job_key": runner.new_key(),
            **periods.default_deadlines(year, month),
        }

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": _("Periods")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=self.request.path,
            submit_button_label=_("Open the month"),
            submit_button_active_label=_("Opening…"),
            has_unsaved_changes=False,
            media=context["form"].media,
        )
        return context

    def form_valid(self, form):
        """Open the month in the background; the job's page reports what it did."""
        year, month = form.cleaned_data["month"]
        job = runner.start(
            jobs.OPEN,
            self.request.user,
            {
                "year": year,
                "month": month,
                "deadlines": {name: day.isoformat() for name, day in form.deadlines.items()},
            },
            key=runner.key_from(self.request, jobs.OPEN),
            title=gettext("Open month %(month)02d/%(year)d") % {"month": month, "year": year},
        )
        return redirect(runner.job_url(job))


def action_buttons(period: Period, button_class=Button, user=None) -> list:
    """Links to the confirmation pages of the actions a period allows now."""
    if period.is_closed:
        if user is None or not may_reopen_month(user):
            return []
        url = reverse("periods:reopen", args=[quote(period.pk)])
        return [button_class(_("Reopen the month"), url=url, icon_name="lock-open", priority=16)]
    buttons = []
    if state := periods.next_state(period):
        label = _("Move to “%(state)s”") % {"state": Period.State(state).label}
        url = reverse("periods:advance", args=[quote(period.pk)])
        buttons.append(button_class(label, url=url, icon_name="arrow-right", priority=12))
    url = reverse("periods:close", args=[quote(period.pk)])
    buttons.append(button_class(_("Lock the month"), url=url, icon_name="lock", priority=16))
    return buttons


class PeriodIndexView(IndexView):
    add_item_label = _("Open a month")

    def get_base_queryset(self):
        handed_in = [Evaluation.State.SUBMITTED, Evaluation.State.APPROVED]
        return (
            super()
            .get_base_queryset()
            .annotate(
                sheet_count=Count("evaluations"),
                submitted_count=Count("evaluations", filter=Q(evaluations__state__in=handed_in)),
                evaluated_count=Count(
                    "evaluations", filter=Q(evaluations__state=Evaluation.State.APPROVED)
                ),
            )
        )

    def get_edit_url(self, instance):
        return None if instance.is_closed else super().get_edit_url(instance)

    def get_delete_url(self, instance):
        return None if instance.sheet_count else super().get_delete_url(instance)

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.user_has_permission("change"):
            url = reverse("periods:remind")
            buttons = [*buttons, HeaderButton(_("Send reminders"), url=url, icon_name="mail")]
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.user_has_permission("change"):
            buttons += [
                MenuItem(
                    button.label, button.url, icon_name=button.icon_name, priority=button.priority
                )
                for button in action_buttons(instance, user=self.request.user)
            ]
        return buttons


class PeriodEditView(generic.EditView):
    """The deadlines of an open month; a closed month is shown read-only instead."""

    template_name = "scoring/period/edit.html"

    def get(self, request, *args, **kwargs):
        return self.read_only() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.read_only() or super().post(request, *args, **kwargs)

    def read_only(self):
        self.object = self.get_object()
        if not self.object.is_closed:
            return None
        messages.info(
            self.request,
            _("Month %(month)s is closed: it can only be viewed.") % {"month": self.object},
        )
        return redirect(self.inspect_url_name, quote(self.object.pk))

    @cached_property
    def header_buttons(self):
        return action_buttons(self.object, HeaderButton, self.request.user)

    @cached_property
    def can_delete(self):
        return not self.object.evaluations.exists() and super().can_delete

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = sheet_counts(self.object)
        return context


def sheet_counts(period: Period) -> dict[str, int]:
    return period.evaluations.aggregate(
        sheets=Count("pk"),
        submitted=Count(
            "pk", filter=Q(state__in=[Evaluation.State.SUBMITTED, Evaluation.State.APPROVED])
        ),
        evaluated=Count("pk", filter=Q(state=Evaluation.State.APPROVED)),
    )


class PeriodInspectView(generic.InspectView):
    """A month read-only; a locked month shows who locked it, and its reopenings."""

    template_name = "scoring/period/inspect.html"

    @cached_property
    def header_buttons(self):
        return action_buttons(self.object, HeaderButton, self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["locks"] = self.object.locks.select_related("locked_by").prefetch_related(
            "unsubmitted"
        )
        context["reopenings"] = self.object.reopenings.select_related("reopened_by")
        return context

    def get_edit_url(self):
        return None if self.object.is_closed else super().get_edit_url()

    def get_delete_url(self):
        return None if self.object.is_closed else super().get_delete_url()


class PeriodHistoryView(HistoryView):
    """The audit log of a month; a closed month links to its read-only page."""

    def get_edit_url(self, instance):
        if instance.is_closed:
            return reverse("periods:inspect", args=[quote(instance.pk)])
        return super().get_edit_url(instance)

    @cached_property
    def header_buttons(self):
        if not self.object.is_closed:
            return super().header_buttons
        url = self.get_edit_url(self.object)
        return [HeaderButton(gettext("Inspect"), url=url, icon_name="info-circle")]


class PeriodDeleteView(ProtectedDeleteView):
    protected_message = _("Month %(object)s has evaluation sheets and cannot be deleted.")

    def refusal(self):
        if self.object.is_closed:
            return _("Month %(object)s is closed and cannot be deleted.") % {"object": self.object}
        return None


class PeriodActionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """A confirmation page (GET) and the action itself (POST only), through the services."""

    model = Period
    permission_required = "change"
    template_name = "scoring/period/confirm_action.html"
    header_icon = "date"
    kind = ""  # the job kind the confirmed action starts
    http_method_names = ["get", "post"]

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(Period, pk=kwargs["pk"])

    def back(self):
        if self.object.is_closed:
            return redirect("periods:inspect", quote(self.object.pk))
        return redirect("periods:edit", quote(self.object.pk))

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("periods:index"), "label": _("Periods")},
            {"url": "", "label": self.get_page_title(), "sublabel": str(self.object)},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            period=self.object,
            cancel_url=self.back().url,
            counts=sheet_counts(self.object),
            job_key=runner.new_key(),
        )
        return context

    def post(self, request, *args, **kwargs):
        """The confirmation submitted again shows the job it started the first time."""
        if job := runner.started(runner.key_from(request, self.kind)):
            return redirect(runner.job_url(job))
        return self.act(request)

    def act(self, request):
        raise NotImplementedError

    def start(self, payload: dict, title: str):
        """Run the operation in the background and show its job's page."""
        key = runner.key_from(self.request, self.kind)
        job = runner.start(self.kind, self.request.user, payload, key=key, title=title)
        return redirect(runner.job_url(job))


class AdvancePeriodView(PeriodActionView):
    page_title = _("Move the month forward")
    kind = jobs.ADVANCE

    def get(self, request, *args, **kwargs):
        state = periods.next_state(self.object)
        if state is None:
            messages.info(
                request, _("Month %(month)s can only be closed now.") % {"month": self.object}
            )
            return self.back()
        return self.render_to_response(self.get_context_data(target=Period.State(state)))

    def act(self, request):
        target = request.POST.get("state")
        if target not in (Period.State.SELF_SCORING, Period.State.EVALUATION):
            messages.error(request, _("Choose the state to move the month to."))
        elif target == self.object.state:
            messages.info(request, self.moved_message())
        else:
            title = gettext("Move month %(month)s to “%(state)s”") % {
                "month": self.object,
                "state": Period.State(target).label,
            }
            return self.start({"period": self.object.pk, "state": target}, title)
        return self.back()

    def moved_message(self) -> str:
        return _("Month %(month)s is now at “%(state)s”.") % {
            "month": self.object,
            "state": self.object.get_state_display(),
        }


class LockForm(forms.Form):
    exception = forms.CharField(
        label=_("Why lock the month without them"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded with the lock, beside the names of the units."),
    )


class ClosePeriodView(PeriodActionView):
    """The lock: every unit has submitted, or the office writes why it locks without them."""

    page_title = _("Lock the month")
    kind = jobs.CLOSE

    def get(self, request, *args, **kwargs):
        if self.object.is_closed:
            messages.info(request, _("Month %(month)s is already closed.") % {"month": self.object})
            return self.back()
        return self.render_to_response(self.get_context_data(closing=True, form=LockForm()))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unsubmitted"] = closing.unsubmitted_units(self.object)
        return context

    def act(self, request):
        if self.object.is_closed:
            messages.info(request, _("Month %(month)s is already closed.") % {"month": self.object})
            return self.back()
        form = LockForm(request.POST)
        form.is_valid()
        exception = form.cleaned_data.get("exception", "")
        if refusal := closing.lock_refusal(self.object, exception):
            form.add_error("exception", refusal)
            return self.render_to_response(self.get_context_data(closing=True, form=form))
        title = gettext("Lock month %(month)s") % {"month": self.object}
        return self.start({"period": self.object.pk, "exception": exception.strip()}, title)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the month is reopened.")},
    )


class ReopenPeriodView(PeriodActionView):
    """The only way back from the lock: the office reopens the month, saying why."""

    page_title = _("Reopen the month")
    template_name = "scoring/period/reopen.html"
    kind = "reopen_period"

    def dispatch(self, request, *args, **kwargs):
        if not may_reopen_month(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.show(ReasonForm())

    def show(self, form):
        refusal = closing.month_reopen_refusal(self.object)
        return self.render_to_response(self.get_context_data(form=form, refusal=refusal))

    def post(self, request, *args, **kwargs):
        form = ReasonForm(request.POST)
        if not form.is_valid():
            return self.show(form)
        try:
            closing.reopen_month(self.object, request.user, form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.show(form)
        messages.success(
            request, _("Month %(month)s is reopened for evaluation.") % {"month": self.object}
        )
        return redirect("periods:edit", quote(self.object.pk))


class RemindersForm(forms.Form):
    days = forms.IntegerField(
        label=_("Deadlines within (days)"),
        min_value=0,
        max_value=31,
        initial=2,
        help_text=_("Everyone with a deadline within this many days, or overdue, is reminded."),
    )
    job_key = forms.CharField(widget=forms.HiddenInput, required=False)


class SendRemindersView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """E-mail the reminders now (cron sends them daily with ``send_reminders``)."""

    model = Period
    permission_required = "change"
    form_class = RemindersForm
    template_name = "scoring/period/remind.html"
    page_title = _("Send reminders")
    header_icon = "mail"

    def get_initial(self):
        return {"days": 2, "job_key": runner.new_key()}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("periods:index"), "label": _("Periods")},
            {"url": "", "label": self.page_title},
        ]

    def form_valid(self, form):
        job = runner.start(
            jobs.REMIND,
            self.request.user,
            {"today": timezone.localdate().isoformat(), "days": form.cleaned_data["days"]},
            key=runner.key_from(self.request, jobs.REMIND),
        )
        return redirect(runner.job_url(job))


class PeriodFilterSet(WagtailFilterSet):
    class Meta:
        model = Period
        fields = ["state", "year"]


class PeriodViewSet(ModelViewSet):
    model = Period
    icon = "date"
    menu_label = _("Periods")
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = PeriodIndexView
    history_view_class = PeriodHistoryView
    ordering = ["-year", "-month"]
    add_view_class = OpenPeriodView
    edit_view_class = PeriodEditView
    inspect_view_class = PeriodInspectView
    delete_view_class = PeriodDeleteView
    filterset_class = PeriodFilterSet
    list_display = [
        "__str__",
        "state",
        *(date_column(Period, name) for name in DEADLINES),
        Column("sheet_count", label=_("sheets"), sort_key="sheet_count"),
        Column("submitted_count", label=_("submitted"), sort_key="submitted_count"),
        Column("evaluated_count", label=_("evaluated"), sort_key="evaluated_count"),
    ]
    list_export = ["year", "month", "state", *DEADLINES, "sheet_count", "closed_at"]
    export_headings = {"sheet_count": _("sheets")}
    inspect_view_fields = ["year", "month", "state", *DEADLINES, "opened_at", "closed_at"]
    panels = [FieldRowPanel([FieldPanel(name) for name in DEADLINES], heading=_("Deadlines"))]

    def get_add_view_kwargs(self, **kwargs):
        return kwargs

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("advance/<int:pk>/", AdvancePeriodView.as_view(), name="advance"),
            path("close/<int:pk>/", ClosePeriodView.as_view(), name="close"),
            path("reopen/<int:pk>/", ReopenPeriodView.as_view(), name="reopen"),
            path("remind/", SendRemindersView.as_view(), name="remind"),
        ]
