"""The absences spreadsheet: one absence for good cause per row, imported all or nothing.

Columns: "Mã cán bộ", "Từ ngày", "Đến ngày", "Lý do" (the reason's code or name), "Ghi
chú". A person's absence starting on the same day is updated, not doubled, so a file can
be imported again. Once written, the open months the rows touch follow at once.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from scoring.access.policy import reads_every_sheet
from scoring.lib.names import tidy
from scoring.lib.spreadsheets import (
    CodeWidget,
    DateWidget,
    SpreadsheetResource,
    TextWidget,
    cell_text,
)
from scoring.organisation.models import Staff

from .absences import absence_subjects, apply_to_open_months
from .models import Absence, AbsenceReason

STAFF_CODE = "Mã cán bộ"
START = "Từ ngày"
END = "Đến ngày"
REASON = "Lý do"
NOTE = "Ghi chú"

UNKNOWN_STAFF = _("Unknown staff code “%(code)s”.")
END_BEFORE_START = _("The end date is before the start date.")


class ReasonWidget(widgets.Widget):
    """A reason for absence by its code or its name (case and spaces ignored)."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> AbsenceReason | None:
        text = cell_text(value)
        if not text:
            return None
        key = tidy(text).casefold()
        for reason in AbsenceReason.objects.filter(active=True):
            if key in (reason.code.casefold(), tidy(reason.name).casefold()):
                return reason
        raise ValueError(
            _("Unknown reason “%(value)s”; use one of the reasons for absence.") % {"value": text}
        )

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.name if value else ""


class AbsenceResource(SpreadsheetResource):
    staff = fields.Field(
        attribute="staff", column_name=STAFF_CODE, widget=CodeWidget(Staff, UNKNOWN_STAFF)
    )
    start_date = fields.Field(attribute="start_date", column_name=START, widget=DateWidget())
    end_date = fields.Field(attribute="end_date", column_name=END, widget=DateWidget())
    reason = fields.Field(attribute="reason", column_name=REASON, widget=ReasonWidget())
    note = fields.Field(attribute="note", column_name=NOTE, widget=TextWidget())

    required_columns = (STAFF_CODE, START, END, REASON)
    required_cells = required_columns
    clean_exclude = ("recorded_by",)
    duplicate_code = _(
        "Staff code “%(code)s” appears more than once in the file (first on row %(row)s)."
    )

    class Meta:
        model = Absence
        fields = ("staff", "start_date", "end_date", "reason", "note")
        import_id_fields = ("staff", "start_date")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, user: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user
        self.written: list[Absence] = []
        self.allowed: set[int] | None = None  # None: the office, everyone

    def before_import(self, dataset, **kwargs):
        # A person may be away several times in a file: codes repeat here by design.
        self.code_rows, self.duplicate_of = {}, {}
        self.written = []
        if self.user is not None and not reads_every_sheet(self.user):
            self.allowed = set(absence_subjects(self.user).values_list("pk", flat=True))

    @classmethod
    def for_run(cls, target: Any, user: Any, confirmed: dict[str, bool] | None = None):
        return cls(user=user)

    def get_queryset(self):
        return Absence.objects.select_related("staff", "reason").order_by(
            "staff__code", "start_date"
        )

    def check_row(self, instance: Absence, errors: dict[str, list]) -> None:
        start, end = instance.start_date, instance.end_date
        if start and end and end < start:
            errors.setdefault("end_date", []).append(END_BEFORE_START)
        outside = self.allowed is not None and instance.staff_id not in self.allowed
        if instance.staff_id and outside:
            errors.setdefault("staff", []).append(
                _("You record the absences of the people you lead only; %(person)s is not one.")
                % {"person": instance.staff}
            )

    def after_save_instance(self, instance, row, **kwargs):
        if self.writes(kwargs):
            if instance.recorded_by_id is None and getattr(self.user, "pk", None):
                Absence.objects.filter(pk=instance.pk).update(recorded_by=self.user)
            self.written.append(instance)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if self._is_dry_run(kwargs) or result.has_errors() or result.has_validation_errors():
            return
        for absence in self.written:
            apply_to_open_months(absence.start_date, absence.end_date, self.user)
