"""Spreadsheet import and export pages for the Wagtail admin, for any importable table.

Importing is two steps: the upload is run as a dry run and shown as a preview (what each
row will do, and every problem by row), then "Confirm import" runs it for real from the
stored file. The file waits in the default file storage (object storage in production,
so any app server can finish the import) under a random name that only a signed,
expiring token names; the token is bound to the user and to the kind of table.
Previews that are never confirmed leave their file behind until it is swept away.

Each table is a :class:`scoring.sheets.sheets.Sheet`.
"""

from __future__ import annotations

import datetime
import os
import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django.views import View
from import_export.results import Result, RowResult
from import_export.tmp_storages import MediaStorage
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from scoring.lib.spreadsheets import (
    MAX_FILE_BYTES,
    RowProblem,
    SpreadsheetError,
    SpreadsheetResource,
    file_format,
    is_clean,
    read_dataset,
    run_import,
    totals,
)
from scoring.sheets.sheets import Sheet, SheetPermissionMixin

app_name = "scoring_imports"

UPLOAD_FOLDER = "scoring-imports"
TOKEN_SALT = "scoring.admin.imports"
TOKEN_MAX_AGE = 6 * 60 * 60  # seconds a preview can wait for its confirmation
STALE_MESSAGE = _("This preview has expired or was already imported; upload the file again.")
PREVIEW_LIMIT = 500  # rows shown in the preview table; the counts cover them all

ACTION_LABELS = {
    RowResult.IMPORT_TYPE_NEW: _("Will be created"),
    RowResult.IMPORT_TYPE_UPDATE: _("Will be updated"),
    RowResult.IMPORT_TYPE_SKIP: _("Unchanged"),
    RowResult.IMPORT_TYPE_INVALID: _("Has errors"),
    RowResult.IMPORT_TYPE_ERROR: _("Has errors"),
}
# Rows with problems first, then changes, then the unchanged ones.
ACTION_ORDER = {"invalid": 0, "error": 0, "new": 1, "update": 1, "skip": 2}


# Forms and the stored upload ------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An Excel workbook (.xlsx) or a CSV file, at most %(size)s MB."
        ) % {"size": MAX_FILE_BYTES // 2**20}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            file_format(upload.name)
        except SpreadsheetError as error:
            raise forms.ValidationError(str(error), code="format") from error
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // 2**20},
                code="size",
            )
        return upload


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)


class StaleUpload(Exception):
    """The confirmed preview's file is gone, expired, or belongs to someone else."""


def _storage(name: str | None = None) -> MediaStorage:
    return MediaStorage(name=name, MEDIA_FOLDER=UPLOAD_FOLDER)


def stash_upload(content: bytes, filename: str, sheet: Sheet, user: Any) -> str:
    """Store an uploaded file until its import is confirmed; return the signed token."""
    storage = _storage(uuid.uuid4().hex)
    storage.save(content)
    payload = {"name": storage.name, "file": os.path.basename(filename)}
    return signing.dumps(
        {**payload, "sheet": sheet.slug, "user": user.pk}, salt=TOKEN_SALT, compress=True
    )


def take_upload(token: str, sheet: Sheet, user: Any) -> tuple[bytes, str]:
    """The stored file's bytes and name for ``token``; the stored copy is removed."""
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature as error:
        raise StaleUpload from error
    if payload.get("sheet") != sheet.slug or payload.get("user") != user.pk:
        raise StaleUpload
    storage = _storage(payload["name"])
    try:
        content = storage.read()
    except (FileNotFoundError, OSError) as error:
        raise StaleUpload from error
    storage.remove()
    return content, payload["file"]


# Preview ------------------------------------------------------------------------------


@dataclass
class PreviewRow:
    number: int
    action: str
    label: str
    cells: list[str]
    problems: list[RowProblem]


def preview_rows(result: Result, dataset: Any, problems: list[RowProblem]) -> list[PreviewRow]:
    """The preview table: one line per data row, problem rows first, then changes."""
    by_row: dict[int, list[RowProblem]] = {}
    for problem in problems:
        if problem.row is not None:
            by_row.setdefault(problem.row, []).append(problem)
    values = dataset.dict
    lines = []
    # report_skipped is on, so result.rows holds one result per data row, in file order.
    for index, row_result in enumerate(result.rows):
        number = index + 2
        if row_result.diff:
            cells = list(row_result.diff)  # HTML from import-export, its text escaped
        else:
            row = values[index] if index < len(values) else {}
            cells = [escape(_shown(row.get(header))) for header in result.diff_headers]
        action = row_result.import_type or RowResult.IMPORT_TYPE_SKIP
        label = str(ACTION_LABELS.get(action, action))
        lines.append(PreviewRow(number, action, label, cells, by_row.get(number, [])))
    lines.sort(key=lambda line: (ACTION_ORDER.get(line.action, 3), line.number))
    return lines


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


# Views ------------------------------------------------------------------------------------


class ImportView(SheetPermissionMixin, WagtailAdminTemplateMixin, View):
    """Upload → preview (dry run) → confirm (the real run from the stored file).

    A table whose import is bound to something chosen on the upload form (a desk for the
    dossier log) overrides the hooks below: the forms, :meth:`target_of` and
    :meth:`confirmed_target` (what the file is for), :meth:`resource_for`,
    :meth:`sheet_for` (the stored upload is bound to it through the signed token),
    :meth:`result_extras` and :meth:`report`.
    """

    template_name = "scoring/import/import.html"
    upload_form_class: type[UploadForm] = UploadForm
    confirm_form_class: type[ConfirmForm] = ConfirmForm
    exportable = True

    # --- Hooks ---------------------------------------------------------------------

    def upload_form(self, *args: Any) -> UploadForm:
        return self.upload_form_class(*args)

    def target_of(self, form: UploadForm) -> Any:
        """What the uploaded file is imported into (nothing but the table, by default)."""
        return None

    def confirmed_target(self, form: ConfirmForm) -> Any:
        """The target named by the confirmation; raise :class:`StaleUpload` if gone."""
        return None

    def confirm_initial(self, target: Any) -> dict[str, Any]:
        return {}

    def resource_for(self, target: Any) -> SpreadsheetResource:
        return self.sheet.resource_class()

    def sheet_for(self, target: Any) -> Sheet:
        return self.sheet

    def result_extras(self, target: Any, resource: SpreadsheetResource) -> dict[str, Any]:
        return {}

    def import_url(self) -> str:
        return self.sheet.url("import")

    def report(self, request: HttpRequest, target: Any, resource: Any, result: Result) -> None:
        messages.success(request, self._summary(result))

    # --- The flow --------------------------------------------------------------------

    def get_page_title(self) -> str:
        return str(self.sheet.title)

    def get_header_icon(self) -> str:
        return self.sheet.icon

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.sheet.title}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.upload_form())
        context.update(sheet=self.sheet, columns=self.resource_for(None).columns)
        if self.exportable:
            context.update(
                can_export=self.request.user.has_perm(self.sheet.permission("view")),
                export_xlsx_url=self.sheet.url("export") + "?format=xlsx",
                export_csv_url=self.sheet.url("export") + "?format=csv",
            )
        return context

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_to_response(self.get_context_data())

    def post(self, request: HttpRequest) -> HttpResponse:
        if "token" in request.POST:
            return self.confirm(request)
        return self.preview(request)

    def preview(self, request: HttpRequest) -> HttpResponse:
        form = self.upload_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload, target = form.cleaned_data["file"], self.target_of(form)
        content = upload.read()
        try:
            dataset = read_dataset(content, upload.name)
        except SpreadsheetError as error:
            form.add_error("file", str(error))
            return self.render_to_response(self.get_context_data(form=form))
        resource = self.resource_for(target)
        result = run_import(resource, dataset, dry_run=True)
        context = self._result_context(resource, result, dataset, upload.name)
        context.update(form=form, **self.result_extras(target, resource))
        if is_clean(result):
            token = stash_upload(content, upload.name, self.sheet_for(target), request.user)
            initial = {"token": token, **self.confirm_initial(target)}
            context["confirm_form"] = self.confirm_form_class(initial=initial)
        return self.render_to_response(self.get_context_data(**context))

    def confirm(self, request: HttpRequest) -> HttpResponse:
        form = self.confirm_form_class(request.POST)
        try:
            if not form.is_valid():
                raise StaleUpload
            target = self.confirmed_target(form)
            token = form.cleaned_data["token"]
            content, filename = take_upload(token, self.sheet_for(target), request.user)
            dataset = read_dataset(content, filename)
        except (StaleUpload, SpreadsheetError):
            messages.error(request, STALE_MESSAGE)
            return redirect(self.import_url())
        resource = self.resource_for(target)
        result = run_import(resource, dataset, dry_run=False)
        if not is_clean(result):
            # The data changed since the preview; nothing was written.
            context = self._result_context(resource, result, dataset, filename)
            context.update(self.result_extras(target, resource))
            return self.render_to_response(self.get_context_data(**context))
        self.report(request, target, resource, result)
        return redirect(self.import_url())

    def _result_context(
        self, resource: SpreadsheetResource, result: Result, dataset: Any, filename: str
    ) -> dict[str, Any]:
        problems = resource.problems(result)
        rows = preview_rows(result, dataset, problems)
        return {
            "filename": os.path.basename(filename),
            "problems": problems,
            "headers": result.diff_headers,
            "preview_rows": rows[:PREVIEW_LIMIT],
            "hidden_rows": max(len(rows) - PREVIEW_LIMIT, 0),
            "preview_limit": PREVIEW_LIMIT,
            "totals": totals(result),
        }

    @staticmethod
    def _summary(result: Result) -> str:
        return _(
            "Import finished: %(new)s created, %(update)s updated, %(skip)s unchanged."
        ) % totals(result)
