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
from dataclasses import asdict, dataclass, field
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

from scoring.lib.layout import Table
from scoring.lib.spreadsheets import (
    MAX_FILE_BYTES,
    RowProblem,
    SpreadsheetError,
    SpreadsheetResource,
    file_format,
    is_clean,
    read_table,
    run_import,
    totals,
)
from scoring.sheets.models import remember, remembered
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


@dataclass
class Upload:
    """A stored upload waiting for its confirmation, and what the user chose about it:
    how to read its columns, and which proposals (new positions…) to create."""

    name: str  # in the storage
    file: str  # as the user named it
    sheet: str
    user: int
    chosen: dict[str, str] = field(default_factory=dict)
    proposals: list[str] = field(default_factory=list)

    def token(self) -> str:
        return signing.dumps(asdict(self), salt=TOKEN_SALT, compress=True)

    def content(self) -> bytes:
        try:
            return _storage(self.name).read()
        except (FileNotFoundError, OSError) as error:
            raise StaleUpload from error

    def remove(self) -> None:
        _storage(self.name).remove()


def stash_upload(content: bytes, filename: str, sheet: Sheet, user: Any) -> Upload:
    """Store an uploaded file until its import is confirmed."""
    storage = _storage(uuid.uuid4().hex)
    storage.save(content)
    return Upload(storage.name, os.path.basename(filename), sheet.slug, user.pk)


def load_upload(token: str, sheet: Sheet, user: Any) -> Upload:
    """The stored upload a token names, if it is this user's, for this table, and fresh."""
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        upload = Upload(**payload)
    except (signing.BadSignature, TypeError) as error:
        raise StaleUpload from error
    if upload.sheet != sheet.slug or upload.user != user.pk:
        raise StaleUpload
    return upload


# Running an import ------------------------------------------------------------------------


def run_sheet(
    resource: SpreadsheetResource,
    content: bytes,
    filename: str,
    chosen: dict[str, str],
    *,
    dry_run: bool,
) -> dict[str, Any]:
    """Read an office's file and import it (or preview it), all or nothing.

    Returns the outcome as the import page and the command show it, in plain data: how
    the file was read, the totals, every problem by the file's row, the preview rows and
    what the import proposes to create.
    """
    outcome: dict[str, Any] = {"filename": os.path.basename(filename), "chosen": chosen}
    try:
        table = read_table(content, filename, resource.vocabulary(), chosen)
    except SpreadsheetError as error:
        return {**outcome, "file_error": str(error), "clean": False}
    result = run_import(resource, table, dry_run=dry_run)
    problems = resource.problems(result)
    rows = preview_rows(result, table.dataset, problems, resource)
    return {
        **outcome,
        "file_error": None,
        "clean": is_clean(result),
        "layout": layout_outcome(table.layout),
        "problems": [asdict(problem) for problem in problems],
        "headers": list(result.diff_headers),
        "rows": [asdict(row) for row in rows[:PREVIEW_LIMIT]],
        "hidden_rows": max(len(rows) - PREVIEW_LIMIT, 0),
        "totals": totals(result),
        "proposals": [asdict(proposal) for proposal in resource.proposals()],
    }


def layout_outcome(layout: Table) -> dict[str, Any]:
    return {
        "sheet": layout.sheet,
        "header_row": layout.header_row,
        "first_row": layout.row_numbers[0] if layout.row_numbers else None,
        "last_row": layout.row_numbers[-1] if layout.row_numbers else None,
        "left_out": layout.left_out,
        "columns": [
            {
                "position": column.position,
                "letter": column.letter,
                "header": column.header,
                "key": column.key,
                "column": column.column,
                "how": column.how,
            }
            for column in layout.columns
        ],
    }


def automatic_reading(resource: SpreadsheetResource, header: str) -> str:
    """The column a header is read as with no choice made ("" for not read)."""
    return resource.vocabulary().read(header, {})[0] or ""


# Preview ------------------------------------------------------------------------------


@dataclass
class PreviewRow:
    number: int
    action: str
    cells: list[str]
    problems: list[str]


def preview_rows(
    result: Result, dataset: Any, problems: list[RowProblem], resource: SpreadsheetResource
) -> list[PreviewRow]:
    """The preview table: one line per data row, problem rows first, then changes."""
    by_row: dict[int, list[str]] = {}
    for problem in problems:
        if problem.row is not None:
            by_row.setdefault(problem.row, []).append(problem.message)
    values = dataset.dict
    lines = []
    # report_skipped is on, so result.rows holds one result per data row, in file order.
    for index, row_result in enumerate(result.rows):
        number = resource.file_row(index + 1)
        if row_result.diff:
            cells = [str(cell) for cell in row_result.diff]  # HTML, its text escaped
        else:
            row = values[index] if index < len(values) else {}
            cells = [escape(_shown(row.get(header))) for header in result.diff_headers]
        action = row_result.import_type or RowResult.IMPORT_TYPE_SKIP
        lines.append(PreviewRow(number, action, cells, by_row.get(number, [])))
    lines.sort(key=lambda line: (ACTION_ORDER.get(line.action, 3), line.number))
    return lines


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


class MappingForm(forms.Form):
    """How to read each column of the file: as one of the import's columns, or not."""

    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, layout: dict[str, Any], columns: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        options = [("", _("— not read —")), *((name, name) for name in columns)]
        self.file_columns = layout["columns"]
        for column in self.file_columns:
            self.fields[f"col_{column['position']}"] = forms.ChoiceField(
                label=f"{column['letter']}: {column['header']}",
                choices=options,
                required=False,
                initial=column["column"] or "",
            )

    def rows(self) -> list[tuple[dict[str, Any], Any]]:
        return [(column, self[f"col_{column['position']}"]) for column in self.file_columns]

    def chosen(self, resource: SpreadsheetResource) -> dict[str, str]:
        """The headers whose reading the user changed from the automatic one."""
        chosen = {}
        for column in self.file_columns:
            picked = self.cleaned_data.get(f"col_{column['position']}", "")
            if picked != automatic_reading(resource, column["header"]):
                chosen[column["key"]] = picked
        return chosen


# Views ------------------------------------------------------------------------------------


class ImportView(SheetPermissionMixin, WagtailAdminTemplateMixin, View):
    """Upload → preview (dry run) → [map columns, choose proposals] → confirm.

    The upload is stored at once, so the user can say how to read its columns and see the
    preview again without uploading it twice; the confirmation imports the stored file as
    the last preview read it. A table whose import is bound to something chosen on the
    upload form (a desk for the dossier log) overrides the hooks below: the forms,
    :meth:`target_of` and :meth:`confirmed_target` (what the file is for),
    :meth:`resource_for`, :meth:`sheet_for` (the stored upload is bound to it through the
    signed token), :meth:`result_extras` and :meth:`report`.
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

    def confirmed_target(self, form: forms.Form) -> Any:
        """The target named by the confirmation; raise :class:`StaleUpload` if gone."""
        return None

    def confirm_initial(self, target: Any) -> dict[str, Any]:
        return {}

    def resource_for(self, target: Any, confirmed: dict[str, bool] | None = None):
        return self.sheet.resource_class(confirmed=confirmed)

    def sheet_for(self, target: Any) -> Sheet:
        return self.sheet

    def result_extras(self, target: Any, resource: SpreadsheetResource) -> dict[str, Any]:
        return {}

    def import_url(self) -> str:
        return self.sheet.url("import")

    def report(self, request: HttpRequest, target: Any, resource: Any, outcome: dict) -> None:
        messages.success(request, self._summary(outcome))

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
        resource_class = self.sheet.resource_class
        context.update(
            sheet=self.sheet,
            columns=self.resource_for(None).columns,
            action_labels=ACTION_LABELS,
            proposals_title=resource_class.proposals_title,
            proposal_choice=resource_class.proposal_choice,
        )
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
        if "remap" in request.POST:
            return self.remap(request)
        if "token" in request.POST:
            return self.confirm(request)
        return self.preview(request)

    def preview(self, request: HttpRequest) -> HttpResponse:
        form = self.upload_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        file, target = form.cleaned_data["file"], self.target_of(form)
        content = file.read()
        upload = stash_upload(content, file.name, self.sheet_for(target), request.user)
        upload.chosen = remembered(self.sheet.slug)
        return self._show_preview(request, form, target, upload, content)

    def remap(self, request: HttpRequest) -> HttpResponse:
        """The user said how to read the file's columns: preview the stored file again."""
        try:
            upload = load_upload(request.POST.get("token", ""), self.sheet, request.user)
            target = self.confirmed_target(self.confirm_form_class(request.POST))
            content = upload.content()
        except StaleUpload:
            messages.error(request, STALE_MESSAGE)
            return redirect(self.import_url())
        resource = self.resource_for(target)
        outcome = run_sheet(resource, content, upload.file, upload.chosen, dry_run=True)
        mapping = MappingForm(request.POST, layout=outcome["layout"], columns=resource.columns)
        if mapping.is_valid():
            upload.chosen = mapping.chosen(resource)
        return self._show_preview(request, self.upload_form(), target, upload, content)

    def _show_preview(self, request, form, target, upload: Upload, content) -> HttpResponse:
        resource = self.resource_for(target)
        outcome = run_sheet(resource, content, upload.file, upload.chosen, dry_run=True)
        outcome["extras"] = self.result_extras(target, resource)
        if outcome["file_error"]:
            upload.remove()
            form.add_error("file", outcome["file_error"])
            return self.render_to_response(self.get_context_data(form=form))
        upload.proposals = [proposal["key"] for proposal in outcome["proposals"]]
        token = upload.token()
        context = self._outcome_context(outcome, target)
        context["form"] = form
        context["mapping_form"] = MappingForm(
            initial={"token": token, **self.confirm_initial(target)},
            layout=outcome["layout"],
            columns=resource.columns,
        )
        context["mapping_target"] = self.confirm_initial(target)
        if outcome["clean"]:
            initial = {"token": token, **self.confirm_initial(target)}
            context["confirm_form"] = self.confirm_form_class(initial=initial)
        return self.render_to_response(self.get_context_data(**context))

    def confirm(self, request: HttpRequest) -> HttpResponse:
        form = self.confirm_form_class(request.POST)
        try:
            if not form.is_valid():
                raise StaleUpload
            target = self.confirmed_target(form)
            upload = load_upload(form.cleaned_data["token"], self.sheet_for(target), request.user)
            content = upload.content()
        except StaleUpload:
            messages.error(request, STALE_MESSAGE)
            return redirect(self.import_url())
        confirmed = {key: f"proposal-{key}" in request.POST for key in upload.proposals}
        resource = self.resource_for(target, confirmed)
        outcome = run_sheet(resource, content, upload.file, upload.chosen, dry_run=False)
        outcome["extras"] = self.result_extras(target, resource)
        if not outcome["clean"]:
            # The data changed since the preview; nothing was written.
            return self.render_to_response(
                self.get_context_data(**self._outcome_context(outcome, target))
            )
        upload.remove()
        automatic = {
            column["key"]
            for column in outcome["layout"]["columns"]
            if column["key"] not in upload.chosen
        }
        remember(self.sheet.slug, upload.chosen, automatic, request.user)
        self.report(request, target, resource, outcome)
        return redirect(self.import_url())

    def _outcome_context(self, outcome: dict[str, Any], target: Any) -> dict[str, Any]:
        return {
            "outcome": outcome,
            "filename": outcome["filename"],
            "problems": [RowProblem(**problem) for problem in outcome.get("problems", [])],
            "headers": outcome.get("headers", []),
            "preview_rows": [PreviewRow(**row) for row in outcome.get("rows", [])],
            "hidden_rows": outcome.get("hidden_rows", 0),
            "preview_limit": PREVIEW_LIMIT,
            "totals": outcome.get("totals", {}),
            **outcome.get("extras", {}),
        }

    def _summary(self, outcome: dict[str, Any]) -> str:
        message = (
            _("Import finished: %(new)s created, %(update)s updated, %(skip)s unchanged.")
            % outcome["totals"]
        )
        if outcome["proposals"]:
            title = self.sheet.resource_class.proposals_title
            names = ", ".join(proposal["label"] for proposal in outcome["proposals"])
            message += f" {title}: {names}."
        return message
