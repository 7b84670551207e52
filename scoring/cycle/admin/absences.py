"""Absences for good cause in the admin: the office records everyone's, a unit head
those of the people they lead. Saving, changing or deleting one updates the open months
it touches at once (:func:`scoring.cycle.absences.apply_to_open_months`)."""

from __future__ import annotations

import django_filters
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from scoring.cycle.absences import absence_subjects, absences_for, apply_to_open_months
from scoring.cycle.models import Absence, AbsenceReason
from scoring.cycle.resources import AbsenceResource
from scoring.lib.admin import IndexView, date_column
from scoring.sheets.sheets import Sheet, sheet_menu_items
from scoring.sheets.urls import sheet_urls


class AbsenceForm(WagtailAdminModelForm):
    """The people the user may record, and the reasons in use."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = absence_subjects(self.for_user).order_by("full_name")
        self.fields["reason"].queryset = AbsenceReason.objects.filter(active=True)


class ScopedAbsenceMixin:
    """Only absences of people the user may record; others are as if they did not exist."""

    def get_object(self, queryset=None):
        try:
            return absences_for(self.request.user).get(pk=self.kwargs[self.pk_url_kwarg])
        except Absence.DoesNotExist:
            raise Http404 from None


class AbsenceFollowsMixin:
    """After a save, the open months of the old and the new dates follow the absence."""

    def save_instance(self):
        before = self.form.initial.get("start_date"), self.form.initial.get("end_date")
        instance = self.form.instance
        if instance.recorded_by_id is None:
            instance.recorded_by = self.request.user
        saved = super().save_instance()
        for start, end in (before, (saved.start_date, saved.end_date)):
            if start and end:
                apply_to_open_months(start, end, self.request.user)
        return saved


class AbsenceIndexView(IndexView):
    def get_base_queryset(self):
        return absences_for(self.request.user)


class AbsenceCreateView(AbsenceFollowsMixin, generic.CreateView):
    pass


class AbsenceEditView(ScopedAbsenceMixin, AbsenceFollowsMixin, generic.EditView):
    pass


class AbsenceDeleteView(ScopedAbsenceMixin, generic.DeleteView):
    def delete_action(self):
        start, end = self.object.start_date, self.object.end_date
        super().delete_action()
        apply_to_open_months(start, end, self.request.user)


class AbsenceFilterSet(WagtailFilterSet):
    reason = django_filters.ModelChoiceFilter(
        queryset=AbsenceReason.objects.all(), label=_("reason")
    )

    class Meta:
        model = Absence
        fields = ["reason"]


class AbsenceViewSet(ModelViewSet):
    model = Absence
    icon = "calendar-alt"
    menu_label = _("Absences")
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("staff"),
            FieldPanel("reason"),
            FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
            FieldPanel("note"),
        ],
        base_form_class=AbsenceForm,
    )
    list_display = [
        "staff",
        "reason",
        date_column(Absence, "start_date"),
        date_column(Absence, "end_date"),
        "recorded_by",
    ]
    filterset_class = AbsenceFilterSet
    search_fields = ["staff__full_name", "staff__code", "note"]
    search_backend_name = None
    index_view_class = AbsenceIndexView
    add_view_class = AbsenceCreateView
    edit_view_class = AbsenceEditView
    delete_view_class = AbsenceDeleteView


class AbsenceReasonViewSet(ModelViewSet):
    model = AbsenceReason
    icon = "tag"
    menu_label = _("Reasons for absence")
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = ["code", "name", "active"]
    list_display = ["name", "code", "active"]
    search_backend_name = None


# --- Import and export ----------------------------------------------------------------


ABSENCES = Sheet(
    "absences",
    AbsenceResource,
    Absence,
    _("Import/export absences"),
    "vang-mat",
    "calendar-alt",
    namespace="scoring_cycle_imports",
)


def import_urls() -> list:
    """The absences spreadsheet under the admin's ``month/``."""
    return sheet_urls("month/", [ABSENCES])


def import_menu_items():
    return sheet_menu_items([ABSENCES], first_order=900)
