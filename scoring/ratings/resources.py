"""The import of a desk's day of dossiers (sổ theo dõi hồ sơ), one receipt per row."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from import_export import fields
from import_export.results import RowResult

from scoring.calendar.closed import all_closed_months
from scoring.lib.spreadsheets import (
    DATE_FORMAT,
    CodeWidget,
    DateWidget,
    SpreadsheetResource,
    TextWidget,
)
from scoring.organisation.models import Staff

from .models import Receipt, ServiceDesk
from .receipts import check_issued_on, check_serves_at, issue_receipt

# --- Importing a day's dossier log ------------------------------------------------------------

DOSSIER_CODE = "Mã hồ sơ"
PROCEDURE = "Thủ tục"
OFFICER_CODE = "Mã cán bộ"
RECEIVED_ON = "Ngày tiếp nhận"

UNKNOWN_OFFICER = _("Unknown staff code “%(code)s”.")
ALREADY_ISSUED = _(
    "Dossier “%(code)s” already has a receipt at this desk, dated %(date)s for "
    "“%(procedure)s” by %(officer)s; the row differs from it."
)


class ReceiptResource(SpreadsheetResource):
    """One receipt per row of a desk's dossier log; the desk is chosen on the upload form.

    A dossier that already has the same receipt at the desk is skipped (so importing a
    file again creates nothing); one whose stored receipt differs is refused. New rows
    are created through :func:`issue_receipt`, each with its own token and short code.
    """

    dossier_code = fields.Field(
        attribute="dossier_code", column_name=DOSSIER_CODE, widget=TextWidget()
    )
    procedure = fields.Field(attribute="procedure", column_name=PROCEDURE, widget=TextWidget())
    officer = fields.Field(
        attribute="officer", column_name=OFFICER_CODE, widget=CodeWidget(Staff, UNKNOWN_OFFICER)
    )
    issued_on = fields.Field(attribute="issued_on", column_name=RECEIVED_ON, widget=DateWidget())

    required_columns = (DOSSIER_CODE, PROCEDURE, OFFICER_CODE, RECEIVED_ON)
    required_cells = required_columns
    clean_exclude = ("desk", "token", "short_code", "expires_at")
    duplicate_code = _(
        "Dossier code “%(code)s” appears more than once in the file (first on row %(row)s)."
    )

    class Meta:
        model = Receipt
        fields = ("dossier_code", "procedure", "officer", "issued_on")
        import_id_fields = ("dossier_code",)
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, desk: ServiceDesk | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.desk = desk
        self.officer_ids: set[int] = set()
        self.created: list[int] = []
        self.already_issued: set[int] = set()  # spreadsheet rows skipped as already issued

    @classmethod
    def for_run(cls, target: Any, user: Any, confirmed: dict[str, bool] | None = None):
        return cls(desk=ServiceDesk.objects.filter(pk=target).first())

    def outcome_extras(self) -> dict[str, Any]:
        return {"already_issued": sorted(self.already_issued), "created": self.created}

    def get_queryset(self) -> models.QuerySet[Receipt]:
        return Receipt.objects.filter(desk=self.desk).select_related("officer")

    def init_instance(self, row: dict | None = None) -> Receipt:
        return Receipt(desk=self.desk)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.officer_ids = set(self.desk.officers.values_list("pk", flat=True))
        self.closed_months = all_closed_months()
        self.created, self.already_issued = [], set()

    def after_init_instance(self, instance, new, row, **kwargs):
        if not new:
            instance.stored = (instance.procedure, instance.officer_id, instance.issued_on)
            instance.stored_officer = instance.officer

    def check_row(self, instance: Receipt, errors: dict[str, list]) -> None:
        if "issued_on" not in errors:
            try:
                check_issued_on(instance.issued_on, self.closed_months)
            except ValidationError as error:
                errors["issued_on"] = error.messages
        if "officer" not in errors:
            try:
                check_serves_at(self.desk, instance.officer, self.officer_ids)
            except ValidationError as error:
                errors["officer"] = error.messages
        if errors or instance.pk is None:
            return
        if (instance.procedure, instance.officer_id, instance.issued_on) != instance.stored:
            procedure, _officer, day = instance.stored
            errors["dossier_code"] = [
                ALREADY_ISSUED
                % {
                    "code": instance.dossier_code,
                    "date": day.strftime(DATE_FORMAT),
                    "procedure": procedure,
                    "officer": instance.stored_officer,
                }
            ]

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # An existing receipt gets here only when check_row found it identical to the row.
        return not import_validation_errors and instance.pk is not None

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        if row_result.import_type == RowResult.IMPORT_TYPE_SKIP and row_result.object_id:
            self.already_issued.add(self.file_row(kwargs["row_number"]))

    def do_instance_save(self, instance: Receipt, is_create: bool) -> None:
        if not is_create:  # existing receipts are only ever skipped
            raise ValueError("an imported receipt is never updated")
        issued = issue_receipt(
            self.desk,
            instance.officer,
            instance.dossier_code,
            instance.procedure,
            instance.issued_on,
        )
        for name in ("pk", "dossier_code", "procedure", "token", "short_code", "expires_at"):
            setattr(instance, name, getattr(issued, name))
        instance.created_at = issued.created_at
        self.created.append(issued.pk)
