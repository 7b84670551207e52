"""Wagtail admin for the monthly cycle: criteria sets, the work-product catalogue, periods.

Everything sits under one menu, "Monthly evaluation". A criteria set that sheets were
scored on is never edited in place: saving it stores the submitted form as the code's
next version, and every sheet keeps the version it was scored on. Months are opened,
moved forward and closed only through :mod:`scoring.cycle`, which writes the audit log
each period's history lists; those actions need ``scoring.change_period``.
"""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, ProtectedError, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import AdminDateInput, Button, HeaderButton
from wagtail.log_actions import log

from scoring import cycle
from scoring.criteria import next_version
from scoring.models import CriteriaSet, Evaluation, Period, Staff, WorkProduct

# --- Shared ------------------------------------------------------------------------


class ProtectedDeleteView(generic.DeleteView):
    """A delete view that refuses, with a message, rows other rows still point to."""

    protected_message = _("“%(object)s” is still used by other records and cannot be deleted.")

    def refusal(self) -> str | None:
        """Why this object may not be deleted (None: it may)."""
        return None

    def refuse(self, reason: str):
        messages.error(self.request, reason)
        if self.edit_url_name:
            return redirect(self.edit_url_name, quote(self.object.pk))
        return redirect(self.get_success_url())

    def get(self, request, *args, **kwargs):
        if reason := self.refusal():
            return self.refuse(reason)
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        if reason := self.refusal():
            return self.refuse(reason)
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ProtectedError:
            return self.refuse(self.protected_message % {"object": self.object})


class ShortDateColumn(Column):
    """A date as the locale's short format (05-10-2026), which fits a narrow column."""

    def get_value(self, instance):
        value = super().get_value(instance)
        return date_format(value, "SHORT_DATE_FORMAT") if value else value


def date_column(model, name: str) -> ShortDateColumn:
    label = capfirst(model._meta.get_field(name).verbose_name)
    return ShortDateColumn(name, label=label, sort_key=name)


# --- Criteria sets -----------------------------------------------------------------


def live_forms(formset) -> list:
    """The formset's filled-in forms that are not marked for deletion."""
    return [
        form for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class CriteriaSetForm(WagtailAdminModelForm):
    """The set with its groups, lines and bands; checks what spans several rows.

    Lines need a maximum above 0 and a code of their own within the set; the bands give
    each of the four levels once, minimums going down strictly (90/70/50/0).
    """

    categories = forms.MultipleChoiceField(
        label=capfirst(_("staff categories")),
        choices=Staff.Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: the set applies to every category."),
    )

    def clean_categories(self) -> list[str]:
        return list(self.cleaned_data.get("categories") or [])

    def clean_code(self) -> str:
        """A code names one set's line of versions; another set may not take it over."""
        code = self.cleaned_data["code"]
        if code != self.instance.code and CriteriaSet.objects.filter(code=code).exists():
            raise ValidationError(
                _("Another criteria set uses the code “%(code)s”: edit it to make a new version.")
                % {"code": code}
            )
        return code

    def clean(self):
        cleaned_data = super().clean()
        groups, bands = self.formsets["groups"], self.formsets["bands"]
        if groups.is_valid():
            self.check_criteria(groups)
        if bands.is_valid():
            self.check_bands(bands)
        return cleaned_data

    def check_criteria(self, groups) -> None:
        seen: set[str] = set()
        for group_form in live_forms(groups):
            for form in live_forms(group_form.formsets["criteria"]):
                code, max_points = (
                    form.cleaned_data.get("code"),
                    form.cleaned_data.get("max_points"),
                )
                if max_points is not None and max_points <= 0:
                    form.add_error("max_points", _("The maximum must be more than 0 points."))
                if code in seen:
                    form.add_error(
                        "code", _("Code “%(code)s” is used twice in this set.") % {"code": code}
                    )
                seen.add(code)

    def check_bands(self, bands) -> None:
        rows = sorted(
            (form.cleaned_data["level"], form.cleaned_data["minimum"]) for form in live_forms(bands)
        )
        errors = []
        if [level for level, _minimum in rows] != [1, 2, 3, 4]:
            errors.append(_("The bands must give each of the four levels exactly once."))
        minimums = [minimum for _level, minimum in rows]
        if any(better <= worse for better, worse in zip(minimums, minimums[1:], strict=False)):
            errors.append(
                _("Minimums must go down strictly from level 1 to level 4, e.g. 90, 70, 50, 0.")
            )
        bands.non_form_errors().extend(errors)


def detach_children(instance) -> None:
    """Make the in-memory children of ``instance`` (and theirs) insert as new rows.

    Each relation is read while its parent still has its old key, so rows the form did
    not touch are copied too; nothing of the old version is written.
    """
    for relation in get_all_child_relations(instance):
        for child in getattr(instance, relation.get_accessor_name()).get_object_list():
            detach_children(child)
            child.pk = None
            child._state.adding = True
    for field in get_all_child_m2m_relations(instance):
        getattr(instance, field.name).get_object_list()


@transaction.atomic
def save_as_new_version(form: CriteriaSetForm, user) -> CriteriaSet:
    """Store the submitted set as its code's next version; the edited rows stay as they were."""
    copy = form.save(commit=False)
    detach_children(copy)
    copy.pk = None
    copy._state.adding = True
    list(CriteriaSet.objects.select_for_update().filter(code=copy.code).values_list("pk"))
    copy.version = next_version(copy.code)
    copy.save()
    form.save_m2m()
    log(instance=copy, action="wagtail.create", user=user)
    return copy


class CriteriaSetFilterSet(WagtailFilterSet):
    in_use = django_filters.BooleanFilter(
        label=_("in use"), method="filter_in_use", widget=forms.NullBooleanSelect
    )

    class Meta:
        model = CriteriaSet
        fields = ["leaders"]

    def filter_in_use(self, queryset, name, value):
        return queryset.filter(in_use=value)


def with_in_use(queryset):
    """Annotate ``in_use``: whether any sheet was made on the version (one subquery)."""
    return queryset.annotate(in_use=Exists(Evaluation.objects.filter(criteria_set=OuterRef("pk"))))


class CriteriaSetIndexView(generic.IndexView):
    def get_base_queryset(self):
        return with_in_use(super().get_base_queryset())

    def get_delete_url(self, instance):
        return None if instance.in_use else super().get_delete_url(instance)


class CriteriaSetEditView(generic.EditView):
    """Edits an unused set in place; a set in use is saved as its code's next version."""

    template_name = "scoring/criteria/edit.html"
    new_version: CriteriaSet | None = None
    unchanged = False

    @cached_property
    def in_use(self) -> bool:
        return self.object.is_in_use()

    @cached_property
    def can_delete(self):
        return not self.in_use and super().can_delete

    def save_instance(self):
        if not self.in_use:
            return super().save_instance()
        if not self.form.has_changed():
            self.unchanged = True
            return self.object
        self.new_version = save_as_new_version(self.form, self.request.user)
        return self.new_version

    def get_success_message(self):
        if self.unchanged:
            return _("Nothing changed: the criteria set was kept as it is.")
        if self.new_version:
            return _(
                "The criteria set is in use, so it was saved as a new version (v%(version)s)."
            ) % {"version": self.new_version.version}
        return super().get_success_message()

    def get_success_url(self):
        if self.new_version:
            return reverse(self.edit_url_name, args=[quote(self.new_version.pk)])
        return super().get_success_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["in_use"] = self.in_use
        context["next_version"] = next_version(self.object.code) if self.in_use else None
        context["newest"] = (
            CriteriaSet.objects.filter(code=self.object.code, version__gt=self.object.version)
            .order_by("-version")
            .first()
        )
        return context


class CriteriaSetDeleteView(ProtectedDeleteView):
    def refusal(self):
        if self.object.is_in_use():
            return _(
                "“%(object)s” cannot be deleted: evaluation sheets were scored on it. "
                "Edit it to make a new version instead."
            ) % {"object": self.object}
        return None


class CriteriaSetViewSet(ModelViewSet):
    model = CriteriaSet
    icon = "list-ol"
    menu_label = _("Criteria sets")
    add_to_admin_menu = False
    copy_view_enabled = False
    index_view_class = CriteriaSetIndexView
    edit_view_class = CriteriaSetEditView
    ordering = ["code", "-version"]
    delete_view_class = CriteriaSetDeleteView
    search_fields = ["name", "code"]
    search_backend_name = None
    filterset_class = CriteriaSetFilterSet
    list_display = [
        "name",
        "code",
        "version",
        date_column(CriteriaSet, "effective_from"),
        "leaders",
        BooleanColumn("in_use", label=_("in use"), sort_key="in_use"),
    ]
    list_export = ["code", "version", "name", "effective_from", "leaders", "priority"]
    edit_handler = ObjectList(CriteriaSet.panels, base_form_class=CriteriaSetForm)


# --- Work products -----------------------------------------------------------------


class WorkProductDeleteView(ProtectedDeleteView):
    protected_message = _(
        "“%(object)s” is used in work plans and cannot be deleted; untick “in use” to retire it."
    )


class WorkProductViewSet(ModelViewSet):
    model = WorkProduct
    icon = "clipboard-list"
    menu_label = _("Work product catalogue")
    add_to_admin_menu = False
    copy_view_enabled = False
    delete_view_class = WorkProductDeleteView
    search_fields = ["name", "code"]
    search_backend_name = None
    list_filter = ["active"]
    list_display = ["name", "code", "weight", BooleanColumn("active", label=_("in use"))]
    list_export = ["code", "name", "weight", "active"]
    form_fields = ["code", "name", "weight", "active"]


# --- Periods -----------------------------------------------------------------------

DEADLINES = ("plan_deadline", "self_deadline", "evaluation_deadline")


def month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def next_state(period: Period) -> str | None:
    """The state "move forward" leads to; None when only closing is left."""
    index = cycle.STATE_ORDER.index(period.state)
    following = cycle.STATE_ORDER[index + 1 : index + 2]
    return following[0] if following and following[0] != Period.State.CLOSED else None


def month_to_open() -> tuple[int, int]:
    """The month after the newest period, or this month when there is none."""
    latest = Period.objects.order_by("-year", "-month").first()
    if latest is None:
        today = timezone.localdate()
        return today.year, today.month
    return (latest.year + 1, 1) if latest.month == 12 else (latest.year, latest.month + 1)


class OpenPeriodForm(forms.Form):
    """A month and its deadlines; deadlines left as prefilled follow the chosen month."""

    month = forms.CharField(
        label=capfirst(_("month")),
        widget=forms.TextInput(attrs={"type": "month"}),
        help_text=_("Year and month, e.g. 2026-03. Deadlines left as prefilled follow it."),
    )
    prefilled_for = forms.CharField(widget=forms.HiddenInput, required=False)
    plan_deadline = forms.DateField(
        label=capfirst(_("work plan deadline")), required=False, widget=AdminDateInput
    )
    self_deadline = forms.DateField(
        label=capfirst(_("self-scoring deadline")), required=False, widget=AdminDateInput
    )
    evaluation_deadline = forms.DateField(
        label=capfirst(_("evaluation deadline")), required=False, widget=AdminDateInput
    )

    def clean_month(self) -> tuple[int, int]:
        return cycle.parse_month(self.cleaned_data["month"])

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
        values = [self.deadlines[name] for name in DEADLINES]
        if values != sorted(values):
            raise ValidationError(
                _("Deadlines go in order: work plan, then self-scoring, then evaluation.")
            )
        return cleaned_data

    def chosen_deadlines(self, year: int, month: int) -> dict[str, datetime.date]:
        defaults = cycle.default_deadlines(year, month)
        try:
            prefilled = cycle.default_deadlines(
                *cycle.parse_month(self.cleaned_data["prefilled_for"])
            )
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
            year, month = cycle.parse_month(self.request.GET.get("month", ""))
        except ValidationError:
            year, month = month_to_open()
        value = month_value(year, month)
        return {"month": value, "prefilled_for": value, **cycle.default_deadlines(year, month)}

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
        year, month = form.cleaned_data["month"]
        try:
            result = cycle.open_period(year, month, user=self.request.user, **form.deadlines)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        report_opening(self.request, result)
        return redirect(self.edit_url_name, quote(result.period.pk))


def people_names(staff_ids: list[int], limit: int = 10) -> str:
    names = list(
        Staff.objects.filter(pk__in=staff_ids[:limit])
        .order_by("full_name")
        .values_list("full_name", flat=True)
    )
    more = len(staff_ids) - len(names)
    return ", ".join(names) + (_(" and %(count)d more") % {"count": more} if more > 0 else "")


def report_opening(request, result: cycle.OpenResult) -> None:
    """What opening did: sheets made, people left without a set or an evaluator."""
    period = result.period
    messages.success(
        request,
        _("Month %(month)s opened: %(created)d sheets created, %(existing)d already existed.")
        % {"month": period, "created": result.created, "existing": result.existing},
    )
    if result.without_set:
        messages.warning(
            request,
            _("%(count)d people have no criteria set for the month and got no sheet: %(names)s.")
            % {"count": len(result.without_set), "names": people_names(result.without_set)},
        )
    if result.without_evaluator:
        report_url = reverse("scoring_unresolved_routes")
        query = month_value(period.year, period.month)
        messages.warning(
            request,
            _("%(count)d people have no evaluator this month.")
            % {"count": len(result.without_evaluator)},
            buttons=[messages.button(f"{report_url}?month={query}", _("See who and why"))],
        )


def action_buttons(period: Period, button_class=Button) -> list:
    """Links to the confirmation pages of the actions a period allows now."""
    if period.is_closed:
        return []
    buttons = []
    if state := next_state(period):
        label = _("Move to “%(state)s”") % {"state": Period.State(state).label}
        url = reverse("periods:advance", args=[quote(period.pk)])
        buttons.append(button_class(label, url=url, icon_name="arrow-right", priority=12))
    url = reverse("periods:close", args=[quote(period.pk)])
    buttons.append(button_class(_("Close the month"), url=url, icon_name="lock", priority=16))
    return buttons


class PeriodIndexView(generic.IndexView):
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

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.user_has_permission("change"):
            buttons += [
                MenuItem(
                    button.label, button.url, icon_name=button.icon_name, priority=button.priority
                )
                for button in action_buttons(instance)
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
        return action_buttons(self.object, HeaderButton)

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
            period=self.object, cancel_url=self.back().url, counts=sheet_counts(self.object)
        )
        return context


class AdvancePeriodView(PeriodActionView):
    page_title = _("Move the month forward")

    def get(self, request, *args, **kwargs):
        state = next_state(self.object)
        if state is None:
            messages.info(
                request, _("Month %(month)s can only be closed now.") % {"month": self.object}
            )
            return self.back()
        return self.render_to_response(self.get_context_data(target=Period.State(state)))

    def post(self, request, *args, **kwargs):
        target = request.POST.get("state")
        if target not in (Period.State.SELF_SCORING, Period.State.EVALUATION):
            messages.error(request, _("Choose the state to move the month to."))
        elif target == self.object.state:
            messages.info(request, self.moved_message())
        else:
            try:
                cycle.advance_period(self.object, target, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, self.moved_message())
        return self.back()

    def moved_message(self) -> str:
        return _("Month %(month)s is now at “%(state)s”.") % {
            "month": self.object,
            "state": self.object.get_state_display(),
        }


class ClosePeriodView(PeriodActionView):
    page_title = _("Close the month")

    def get(self, request, *args, **kwargs):
        if self.object.is_closed:
            messages.info(request, _("Month %(month)s is already closed.") % {"month": self.object})
            return self.back()
        return self.render_to_response(self.get_context_data(closing=True))

    def post(self, request, *args, **kwargs):
        if self.object.is_closed:
            messages.info(request, _("Month %(month)s is already closed.") % {"month": self.object})
            return self.back()
        self.object = cycle.close_period(self.object, user=request.user)
        messages.success(
            request,
            _("Month %(month)s closed: %(count)d sheets computed and frozen.")
            % {"month": self.object, "count": self.object.evaluations.count()},
        )
        return self.back()


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
        ]


# --- The menu ----------------------------------------------------------------------


class MonthlyEvaluationGroup(ModelViewSetGroup):
    menu_label = _("Monthly evaluation")
    menu_icon = "date"
    menu_order = 150
    items = (
        PeriodViewSet("periods"),
        CriteriaSetViewSet("criteria_sets"),
        WorkProductViewSet("work_products"),
    )


@hooks.register("register_admin_viewset")
def register_monthly_evaluation():
    return MonthlyEvaluationGroup()
