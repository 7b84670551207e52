"""Wagtail admin for quarters and years: a unit's report, and the discipline record.

The report is read-only: every person with a month in the unit (or in a unit merged into
it) in the year, each month's total or "absent", the mean, the level and any override,
then the reward and attention lists. The office reads every unit, a unit head the units
they head (:func:`scoring.access.policy.result_units`). The office records discipline.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from scoring.access.policy import result_units
from scoring.engine.rollup import QUARTERS
from scoring.lib.admin import IndexView, PagesFirstGroup, TitledMixin, date_column
from scoring.lib.document_views import document_links, document_response, requested_format
from scoring.organisation.models import Staff, Unit

from .documents import report_document
from .models import Discipline
from .years import UnitYear, unit_year

# --- Discipline -------------------------------------------------------------------------


class DisciplineForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = Staff.objects.order_by("full_name")


class DisciplineIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("staff")


class DisciplineCreateView(generic.CreateView):
    def save_instance(self):
        self.form.instance.recorded_by = self.request.user
        return super().save_instance()


class DisciplineFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Discipline.Kind.choices, label=pgettext_lazy("discipline", "form")
    )

    class Meta:
        model = Discipline
        fields = ["kind"]


class DisciplineViewSet(ModelViewSet):
    """Discipline decisions, recorded by the home-affairs office (model permissions)."""

    model = Discipline
    icon = "warning"
    menu_label = gettext_lazy("Discipline")
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("staff"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("decided_on")]),
            FieldPanel("decision_number"),
            FieldPanel("note"),
        ],
        base_form_class=DisciplineForm,
    )
    list_display = [
        "staff",
        "kind",
        date_column(Discipline, "decided_on"),
        "decision_number",
        BooleanColumn("forces_failure", label=gettext_lazy("forces failure for the year")),
    ]
    list_export = ["staff", "kind", "decided_on", "decision_number", "note"]
    filterset_class = DisciplineFilterSet
    search_fields = ["staff__full_name", "staff__code", "decision_number", "note"]
    search_backend_name = None
    index_view_class = DisciplineIndexView
    add_view_class = DisciplineCreateView


# --- A unit's quarters and year ----------------------------------------------------------


def _number(value: str | None, choices) -> int | None:
    """``value`` as one of ``choices`` (ints), or None."""
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number in choices else None


class UnitResultsView(TitledMixin, TemplateView):
    """A unit's year or quarter: every person's months, mean, level and override."""

    page_title = gettext_lazy("Quarters and year by unit")
    header_icon = "table"
    template_name = "scoring/rollup/unit_year.html"

    def get(self, request, *args, **kwargs):
        units = list(
            result_units(request.user)
            .only("pk", "name", "path", "depth", "valid_to")
            .order_by("path")
        )
        if not units:
            raise PermissionDenied
        unit = self.choose(units, request.GET.get("unit"))
        today = timezone.localdate()
        year = _number(request.GET.get("year"), range(1900, 2101)) or today.year
        quarter = _number(request.GET.get("quarter"), QUARTERS)
        if requested_format(request) is not None:
            # The signed document: the same access as the page, the same bytes as the
            # command's file (scoring.rollup.documents).
            document = report_document(unit, year, quarter)
            return document_response(request, document, back=self.back(request))
        report = unit_year(unit, year, quarter)
        self.subtitle = self.subtitle_of(unit, year, quarter)
        context = {
            "units": units,
            "unit": unit,
            "year": year,
            "quarter": quarter,
            "quarters": QUARTERS,
            "report": report,
            "lines": self.lines(report),
            "month_labels": self.month_labels(quarter),
            "document_links": document_links(request),
        }
        return self.render_to_response(self.get_context_data(**context))

    def back(self, request) -> str:
        """This page, for the same unit and period, without the format."""
        query = request.GET.copy()
        query.pop("format", None)
        return f"{request.path}?{query.urlencode()}" if query else request.path

    def choose(self, units: list[Unit], wanted: str | None) -> Unit:
        if not wanted:
            return units[0]
        for unit in units:
            if str(unit.pk) == wanted:
                return unit
        raise Http404  # another unit's report: as if it did not exist

    def lines(self, report: UnitYear) -> list[tuple]:
        """Each person with the standing the page shows: the quarter's, or the year's."""
        if report.quarter is None:
            return [(person, person.result) for person in report.people]
        return [(person, person.quarters[report.quarter - 1]) for person in report.people]

    def month_labels(self, quarter: int | None) -> list[str]:
        numbers = range(1, 13) if quarter is None else range(quarter * 3 - 2, quarter * 3 + 1)
        return [_("M%(month)s") % {"month": number} for number in numbers]

    def subtitle_of(self, unit: Unit, year: int, quarter: int | None) -> str:
        if quarter is None:
            return _("%(unit)s, the year %(year)d") % {"unit": unit.name, "year": year}
        values = {"unit": unit.name, "quarter": quarter, "year": year}
        return _("%(unit)s, quarter %(quarter)d of %(year)d") % values

    def get_page_subtitle(self):
        return self.subtitle


class ResultsMenuItem(MenuItem):
    def is_shown(self, request):
        return result_units(request.user).exists()


class QuartersAndYearGroup(PagesFirstGroup):
    """The "Quarters and year" menu: the unit report, then the discipline record."""

    menu_label = gettext_lazy("Quarters and year")
    menu_name = "quarters-and-year"
    menu_icon = "table"
    menu_order = 160
    items = (DisciplineViewSet("discipline"),)

    def page_items(self):
        return [
            ResultsMenuItem(
                gettext_lazy("Quarters and year by unit"),
                reverse("scoring_unit_results"),
                name="unit-results",
                icon_name="table",
                order=10,
            ),
        ]


def admin_urls() -> list:
    return [path("rollup/units/", UnitResultsView.as_view(), name="scoring_unit_results")]
