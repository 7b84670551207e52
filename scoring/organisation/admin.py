"""Wagtail admin for the organisation: units (as a tree), positions, staff, routes.

The staff listing shows each person's post and this month's evaluator with the reason
(the rule or the override); the route report lists the people whose evaluator resolves
to nobody. Both compute routes for the whole page at once, so their query count does
not grow with the number of rows.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import EditView
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from scoring.lib.admin import IndexView, SafeExportMixin
from scoring.lib.months import current_month, month_or_none
from scoring.sheets.sheets import Sheet, sheet_menu_items
from scoring.sheets.urls import sheet_urls

from .models import (
    Assignment,
    Council,
    EvaluationRule,
    EvaluatorOverride,
    Position,
    Staff,
    Unit,
    UnitChange,
    UnitKind,
)
from .resources import PositionResource, StaffResource, UnitResource
from .routing import Route, describe_routes, resolve_routes
from .staff import with_current_post

# --- Listing querysets ----------------------------------------------------------------


def index_view_with(prepare):
    """An index view class whose base queryset goes through ``prepare`` (joins, annotations)
    and, when its viewset is given a ``scope`` (the access policy's ``visible_…``), keeps
    the rows the user may see: the list and its CSV/XLSX export alike.

    Wagtail 8's ModelViewSet has no queryset hook of its own, so the view carries it.
    """

    class PreparedIndexView(IndexView):
        scope = None

        def get_base_queryset(self):
            queryset = super().get_base_queryset()
            if self.scope is not None:
                queryset = self.scope(self.request.user, queryset)
            return prepare(queryset)

    return PreparedIndexView


class ScopedInspectView(generic.InspectView):
    """An inspect view that answers 404 for a row outside the user's ``scope``."""

    scope = None

    def get_object(self, queryset=None):
        rows = self.model._default_manager.all()
        if self.scope is not None:
            rows = self.scope(self.request.user, rows)
        return get_object_or_404(rows, pk=self.pk)


class ScopedViewSetMixin:
    """A viewset whose list, export and inspect view follow ``scope(user, queryset)``,
    handed in by the admin's registration (the policy sits above this package)."""

    scope = None
    inspect_view_class = ScopedInspectView

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(scope=self.scope, **kwargs)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(scope=self.scope, **kwargs)


# --- Units -------------------------------------------------------------------------


class UnitForm(WagtailAdminModelForm):
    """Unit form with a parent chooser on creation (the tree is built through treebeard)."""

    parent = forms.ModelChoiceField(
        queryset=Unit.objects.order_by("path"),
        required=False,
        label=capfirst(_("parent unit")),
        help_text=_("Leave empty for a top-level unit (a province)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Moving a branch would rewrite history: reorganise by merging or closing.
            self.fields["parent"].disabled = True
            self.fields["parent"].initial = self.instance.get_parent()
            self.fields["parent"].help_text = _(
                "A unit is not moved: close it and name its successor instead."
            )

    def save(self, commit: bool = True) -> Unit:
        if self.instance.pk:
            return super().save(commit=commit)
        instance = super().save(commit=False)
        parent = self.cleaned_data.get("parent")
        return parent.add_child(instance=instance) if parent else Unit.add_root(instance=instance)


class UnitFilterSet(WagtailFilterSet):
    kind = django_filters.ModelChoiceFilter(
        queryset=UnitKind.objects.all(), label=capfirst(_("kind"))
    )
    current = django_filters.BooleanFilter(
        label=capfirst(_("exists today")), method="filter_current", widget=forms.NullBooleanSelect
    )

    class Meta:
        model = Unit
        fields = ["kind"]

    def filter_current(self, queryset, name, value):
        today = timezone.localdate()
        current = Q(valid_from__lte=today) & (Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        return queryset.filter(current) if value else queryset.exclude(current)


class UnitViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Unit
    icon = "site"
    menu_label = _("Units")
    menu_order = 100
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_per_page = 100
    ordering = ["path"]
    search_fields = ["name", "code"]
    search_backend_name = None
    filterset_class = UnitFilterSet
    list_display = [
        "tree_label",
        "code",
        "kind",
        "valid_from",
        "valid_to",
    ]
    list_export = ["code", "name", "kind", "valid_from", "valid_to"]
    edit_handler = ObjectList(
        [
            FieldPanel("parent"),
            FieldPanel("code"),
            FieldPanel("name"),
            FieldPanel("kind"),
            FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")]),
            FieldPanel("successor"),
        ],
        base_form_class=UnitForm,
    )

    index_view_class = index_view_with(lambda qs: qs.select_related("kind"))


class UnitChangeViewSet(ModelViewSet):
    model = UnitChange
    icon = "history"
    menu_label = _("Unit history")
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = ["unit", "change", "date", "old_name", "new_name", "successor"]
    list_filter = ["change"]
    search_fields = ["old_name", "new_name", "unit__name"]
    search_backend_name = None
    form_fields = ["unit", "change", "date", "old_name", "new_name", "successor", "note"]

    index_view_class = index_view_with(lambda qs: qs.select_related("unit", "successor"))


class UnitKindViewSet(ModelViewSet):
    model = UnitKind
    icon = "tag"
    menu_label = _("Unit kinds")
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    search_backend_name = None
    form_fields = ["code", "name"]


class PositionViewSet(ModelViewSet):
    model = Position
    icon = "user"
    menu_label = _("Positions")
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = ["name", "code", "is_head", "rank"]
    list_filter = ["is_head"]
    search_fields = ["name", "code"]
    search_backend_name = None
    form_fields = ["code", "name", "is_head", "rank"]


# --- Staff and routes ------------------------------------------------------------


def attach_routes(people: list[Staff], year: int, month: int) -> list[Staff]:
    """Give each person ``route_info`` (evaluator, rule, override) for the month."""
    routes = resolve_routes(year, month, [person.pk for person in people])
    described = describe_routes(routes.values())
    for person in people:
        person.route_info = described[person.pk]
    return people


class RouteColumn(Column):
    """This month's evaluator and why: the rule, the override, or what is missing."""

    cell_template_name = "scoring/tables/route_cell.html"

    def get_value(self, instance):
        return getattr(instance, "route_info", None)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        info = self.get_value(instance) or {}
        route: Route | None = info.get("route")
        context.update(info)
        context["problem"] = route.problem_label if route and route.problem else ""
        return context


class StaffFilterSet(WagtailFilterSet):
    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.order_by("path"), label=capfirst(_("unit")), method="filter_unit"
    )
    position = django_filters.ModelChoiceFilter(
        queryset=Position.objects.all(), label=capfirst(_("position")), method="filter_position"
    )

    class Meta:
        model = Staff
        fields = ["category"]

    def filter_unit(self, queryset, name, value):
        return queryset.filter(assignments__unit=value, assignments__end_date__isnull=True)

    def filter_position(self, queryset, name, value):
        return queryset.filter(assignments__position=value, assignments__end_date__isnull=True)


class StaffIndexView(index_view_with(with_current_post)):
    """Staff listing that resolves the evaluator of the people on the page in bulk."""

    @cached_property
    def filters(self):
        """The unit and position filters offer only the posts of the people in scope."""
        filterset = super().filters
        if filterset is None or self.scope is None:
            return filterset
        people = self.scope(self.request.user, Staff.objects.all()).values("pk")
        posts = Assignment.objects.filter(staff__in=people, end_date__isnull=True)
        fields = filterset.form.fields
        fields["unit"].queryset = fields["unit"].queryset.filter(pk__in=posts.values("unit_id"))
        fields["position"].queryset = fields["position"].queryset.filter(
            pk__in=posts.values("position_id")
        )
        return filterset

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        people = attach_routes(list(object_list), *current_month())
        page.object_list = people
        return paginator, page, people, is_paginated


# Buttons other features add to a person's page (the office's personal data export,
# scoring/privacy/admin.py), added by wagtail_hooks.py: (request, staff) -> Button | None.
STAFF_PAGE_BUTTONS: list = []


class StaffEditView(EditView):
    @cached_property
    def header_more_buttons(self):
        added = (make(self.request, self.object) for make in STAFF_PAGE_BUTTONS)
        return [*super().header_more_buttons, *(button for button in added if button)]


class StaffViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Staff
    edit_view_class = StaffEditView
    icon = "group"
    menu_label = _("Staff")
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = StaffIndexView
    list_per_page = 50
    search_fields = ["full_name", "code"]
    search_backend_name = None
    filterset_class = StaffFilterSet
    list_display = [
        "full_name",
        "code",
        "category",
        Column("current_position", label=capfirst(_("position"))),
        Column("current_unit", label=capfirst(_("unit"))),
        RouteColumn("route", label=capfirst(_("evaluator this month"))),
    ]
    list_export = ["code", "full_name", "category", "current_unit", "current_position"]
    export_headings = {"current_unit": _("unit"), "current_position": _("position")}


class CouncilViewSet(ModelViewSet):
    model = Council
    icon = "group"
    menu_label = _("Councils")
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = ["name", "unit"]
    search_fields = ["name"]
    search_backend_name = None

    index_view_class = index_view_with(lambda qs: qs.select_related("unit"))


class EvaluationRuleViewSet(ModelViewSet):
    model = EvaluationRule
    icon = "resubmit"
    menu_label = _("Evaluator rules")
    add_to_admin_menu = False
    list_display = ["name", "priority", "anchor", "evaluator", "valid_from", "valid_to"]
    list_filter = ["anchor", "evaluator"]
    search_fields = ["name", "note"]
    search_backend_name = None


class EvaluatorOverrideViewSet(ModelViewSet):
    model = EvaluatorOverride
    icon = "edit"
    menu_label = _("Evaluator overrides")
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = ["staff", "evaluator", "council", "reason", "valid_from", "valid_to"]
    search_fields = ["staff__full_name", "reason"]
    search_backend_name = None

    index_view_class = index_view_with(
        lambda qs: qs.select_related("staff", "evaluator", "council")
    )


# --- The unresolved-route report ---------------------------------------------------


class MonthFilterSet(WagtailFilterSet):
    """A month chooser; the report itself reads the month to resolve routes for it."""

    month = django_filters.CharFilter(
        label=capfirst(_("month")),
        method="keep",
        widget=forms.TextInput(attrs={"type": "month"}),
        help_text=_("Year and month, e.g. 2026-01."),
    )

    class Meta:
        model = Staff
        fields: list[str] = []

    def keep(self, queryset, name, value):
        return queryset


class UnresolvedRouteReportView(SafeExportMixin, ReportView):
    """People whose evaluator resolves to nobody in a month (vacant post, no rule…)."""

    page_title = _("Unresolved evaluator routes")
    header_icon = "warning"
    index_url_name = "scoring_unresolved_routes"
    index_results_url_name = "scoring_unresolved_routes_results"
    paginate_by = 100
    filterset_class = MonthFilterSet
    permission_policy = None
    columns = [
        Column("full_name", label=capfirst(_("full name"))),
        Column("code", label=capfirst(_("staff code"))),
        Column("current_position", label=capfirst(_("position"))),
        Column("current_unit", label=capfirst(_("unit"))),
        Column("problem", label=capfirst(_("problem"))),
    ]
    list_export = ["code", "full_name", "current_unit", "current_position", "problem"]
    export_headings = {
        "code": _("staff code"),
        "full_name": _("full name"),
        "current_unit": _("unit"),
        "current_position": _("position"),
        "problem": _("problem"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("scoring.change_staff"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        year, month = self.month
        return _("Month %(month)02d/%(year)d: %(count)d people") % {
            "month": month,
            "year": year,
            "count": len(self.routes),
        }

    def get_queryset(self):
        self.month = month_or_none(self.request.GET.get("month")) or current_month()
        self.routes = {
            staff_id: route
            for staff_id, route in resolve_routes(*self.month).items()
            if route.flagged
        }
        queryset = Staff.objects.filter(pk__in=list(self.routes)).order_by("full_name")
        return with_current_post(queryset)

    def decorate_paginated_queryset(self, object_list):
        people = list(object_list)
        for person in people:
            person.problem = self.routes[person.pk].problem_label
        return people


def organisation_group(staff_scope=None, unit_scope=None) -> ModelViewSetGroup:
    """The "Organisation" menu: every organisation viewset, then the import/export pages.

    ``staff_scope`` and ``unit_scope`` are the access policy's ``visible_staff`` and
    ``visible_units``: who lists, exports and inspects which people and units.
    """

    class OrganisationGroup(ModelViewSetGroup):
        menu_label = _("Organisation")
        menu_icon = "site"
        menu_order = 200
        items = (
            UnitViewSet("units", scope=unit_scope),
            StaffViewSet("staff", scope=staff_scope),
            PositionViewSet("positions"),
            UnitKindViewSet("unit_kinds"),
            UnitChangeViewSet("unit_changes"),
            CouncilViewSet("councils"),
            EvaluationRuleViewSet("evaluation_rules"),
            EvaluatorOverrideViewSet("evaluator_overrides"),
        )

        def get_submenu_items(self):
            return [*super().get_submenu_items(), *import_menu_items()]

    return OrganisationGroup()


# --- Import and export ----------------------------------------------------------------

UNITS = Sheet("units", UnitResource, Unit, _("Import/export units"), "don-vi", "site")
STAFF = Sheet("staff", StaffResource, Staff, _("Import/export staff"), "can-bo", "group")
POSITIONS = Sheet(
    "positions", PositionResource, Position, _("Import/export positions"), "chuc-vu", "user"
)


def import_urls() -> list:
    """The pages under the admin's ``organisation/``, in the ``scoring_imports`` namespace."""
    return sheet_urls("organisation/", [UNITS, POSITIONS, STAFF])


def import_menu_items() -> list[MenuItem]:
    """Import/export entries for the organisation menu, for users who may import."""
    return sheet_menu_items([UNITS, POSITIONS, STAFF], first_order=900)


# --- The route report's address and menu entry ------------------------------------------


def report_urls() -> list:
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


def report_menu_item() -> MenuItem:
    return StaffManagerMenuItem(
        _("Unresolved evaluator routes"),
        reverse("scoring_unresolved_routes"),
        icon_name="warning",
        order=700,
    )
