"""Spreadsheet import pages for the Wagtail admin, for any importable table.

Upload → preview → [say how to read the columns, choose the proposals] → confirm. The
preview and the import are background jobs (:mod:`scoring.sheets.jobs`, run by
:mod:`scoring.sheets.running`), so a file of 100,000 rows never holds a request; the
import page follows its job (``?job=…``): the progress while it runs, then the preview
with its forms, or what the import did. Each table is a :class:`scoring.sheets.sheets.Sheet`.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from scoring.jobs import runner
from scoring.jobs.models import Job
from scoring.lib.spreadsheets import (
    MAX_FILE_BYTES,
    RowProblem,
    SpreadsheetError,
    SpreadsheetResource,
    file_format,
)
from scoring.sheets.jobs import IMPORT, PREVIEW, resource_path, run_payload
from scoring.sheets.models import remembered
from scoring.sheets.running import (
    PREVIEW_LIMIT,
    STALE_MESSAGE,
    UPLOAD_FOLDER,
    PreviewRow,
    StaleUpload,
    Upload,
    load_upload,
    stash_upload,
)
from scoring.sheets.sheets import Sheet, SheetPermissionMixin

__all__ = ["UPLOAD_FOLDER", "ConfirmForm", "ImportView", "StaleUpload", "UploadForm"]


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
        chosen, vocabulary = {}, resource.vocabulary()
        for column in self.file_columns:
            picked = self.cleaned_data.get(f"col_{column['position']}", "")
            if picked != (vocabulary.read(column["header"], {})[0] or ""):
                chosen[column["key"]] = picked
        return chosen


# Views ------------------------------------------------------------------------------------


class ImportView(SheetPermissionMixin, WagtailAdminTemplateMixin, View):
    """Upload → preview job → [map columns, choose proposals] → import job.

    The page follows a job of its table with ``?job=<id>``. A table whose import is bound
    to something chosen on the upload form (a desk for the dossier log) overrides the
    hooks below: the forms, :meth:`target_of` and :meth:`confirmed_target` (what the file
    is for), :meth:`sheet_for` (the stored upload is bound to it through the signed
    token), :meth:`target_context`, :meth:`summary` and :meth:`done_buttons`. The run
    itself is the resource's own (:meth:`SpreadsheetResource.for_run`).
    """

    template_name = "scoring/import/import.html"
    upload_form_class: type[UploadForm] = UploadForm
    confirm_form_class: type[ConfirmForm] = ConfirmForm
    exportable = True
    refresh_seconds = 2

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

    def target_of_job(self, job: Job) -> Any:
        """The target of a job of this page; raise :class:`Http404` if it is not the user's."""
        return None

    def target_context(self, target: Any) -> dict[str, Any]:
        return {}

    def sheet_for(self, target: Any) -> Sheet:
        return self.sheet

    def import_url(self) -> str:
        return self.sheet.url("import")

    def summary(self, outcome: dict[str, Any]) -> str:
        message = (
            _("Import finished: %(new)s created, %(update)s updated, %(skip)s unchanged.")
            % outcome["totals"]
        )
        if outcome["proposals"]:
            title = self.sheet.resource_class.proposals_title
            names = ", ".join(proposal["label"] for proposal in outcome["proposals"])
            message += f" {title}: {names}."
        return message

    def done_buttons(self, outcome: dict[str, Any]) -> list[tuple[str, Any]]:
        """Links offered once the import is done: (url, label)."""
        return []

    # --- The page --------------------------------------------------------------------

    @property
    def resource_class(self) -> type[SpreadsheetResource]:
        return self.sheet.resource_class

    def get_page_title(self) -> str:
        return str(self.sheet.title)

    def get_header_icon(self) -> str:
        return self.sheet.icon

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.sheet.title}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.upload_form())
        context.update(
            sheet=self.sheet,
            columns=self.resource_class().columns,
            proposals_title=self.resource_class.proposals_title,
            proposal_choice=self.resource_class.proposal_choice,
        )
        if self.exportable:
            context.update(
                can_export=self.request.user.has_perm(self.sheet.permission("view")),
                export_xlsx_url=self.sheet.url("export") + "?format=xlsx",
                export_csv_url=self.sheet.url("export") + "?format=csv",
            )
        return context

    def get(self, request: HttpRequest) -> HttpResponse:
        if "job" in request.GET:
            return self.show_job(request, self.job_of(request))
        return self.render_to_response(self.get_context_data())

    def post(self, request: HttpRequest) -> HttpResponse:
        if "remap" in request.POST:
            return self.remap(request)
        if "token" in request.POST:
            return self.confirm(request)
        return self.preview(request)

    # --- Starting the jobs -----------------------------------------------------------

    def _start(self, kind: str, target: Any, upload: Upload, confirmed=None, key=None):
        payload = run_payload(self.resource_class, self.sheet.slug, target, upload, confirmed)
        payload["page"] = self.import_url()
        title = f"{self.sheet.title}: {upload.file}"
        job = runner.start(kind, self.request.user, payload, key=key, title=title)
        return redirect(f"{self.import_url()}?job={job.pk}")

    def preview(self, request: HttpRequest) -> HttpResponse:
        form = self.upload_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        file, target = form.cleaned_data["file"], self.target_of(form)
        sheet = self.sheet_for(target)
        upload = stash_upload(file.read(), file.name, sheet.slug, request.user)
        upload.chosen = remembered(self.sheet.slug)
        return self._start(PREVIEW, target, upload)

    def _stored(self, request: HttpRequest) -> tuple[Upload, Any]:
        """The stored upload the posted token names, and its target."""
        form = self.confirm_form_class(request.POST)
        if not form.is_valid():
            raise StaleUpload
        target = self.confirmed_target(form)
        token = form.cleaned_data["token"]
        return load_upload(token, self.sheet_for(target).slug, request.user), target

    def remap(self, request: HttpRequest) -> HttpResponse:
        """The user said how to read the file's columns: preview the stored file again."""
        try:
            upload, target = self._stored(request)
            job = self._job(request, request.POST.get("job"))
        except (StaleUpload, Http404):
            messages.error(request, STALE_MESSAGE)
            return redirect(self.import_url())
        layout = job.outcome.get("layout")
        if layout is None:
            return redirect(self.import_url())
        mapping = MappingForm(request.POST, layout=layout, columns=self.resource_class().columns)
        if mapping.is_valid():
            upload.chosen = mapping.chosen(self.resource_class())
        return self._start(PREVIEW, target, upload)

    def confirm(self, request: HttpRequest) -> HttpResponse:
        try:
            upload, target = self._stored(request)
        except StaleUpload:
            messages.error(request, STALE_MESSAGE)
            return redirect(self.import_url())
        confirmed = {key: f"proposal-{key}" in request.POST for key in upload.proposals}
        # The same confirmation posted twice finds the same job: never two imports.
        token = self.confirm_form_class(request.POST).data["token"]
        key = f"{IMPORT}:{request.user.pk}:{hashlib.sha256(token.encode()).hexdigest()[:40]}"
        return self._start(IMPORT, target, upload, confirmed, key=key)

    # --- Following a job -----------------------------------------------------------------

    def _job(self, request: HttpRequest, pk: Any) -> Job:
        job = Job.objects.filter(
            pk=pk if str(pk).isdigit() else None,
            requested_by=request.user,
            kind__in=[PREVIEW, IMPORT],
            payload__resource=resource_path(self.resource_class),
            payload__table=self.sheet.slug,
        ).first()
        if job is None:
            raise Http404
        return job

    def job_of(self, request: HttpRequest) -> Job:
        return self._job(request, request.GET.get("job"))

    def show_job(self, request: HttpRequest, job: Job) -> HttpResponse:
        target = self.target_of_job(job)
        context: dict[str, Any] = {"job": job, **self.target_context(target)}
        if not job.is_finished:
            context.update(progress=runner.progress_of(job), refresh_seconds=self.refresh_seconds)
        elif job.state == Job.State.SUCCEEDED and job.kind == PREVIEW:
            context.update(self._preview_context(job, target))
        elif job.state == Job.State.SUCCEEDED:
            outcome = job.outcome
            context.update(
                done=self.summary(outcome),
                done_buttons=self.done_buttons(outcome),
                **self._outcome_context(outcome),
            )
        elif job.state == Job.State.REFUSED:
            context["problems"] = [RowProblem(**problem) for problem in job.problems]
            context["refusal"] = job.error
        else:
            context.update(failed=job.error, may_retry=runner.may_retry(job, request.user))
        return self.render_to_response(self.get_context_data(**context))

    def _preview_context(self, job: Job, target: Any) -> dict[str, Any]:
        outcome = job.outcome
        context = self._outcome_context(outcome)
        initial = {"token": outcome["token"], **self.confirm_initial(target)}
        context["mapping_form"] = MappingForm(
            initial=initial, layout=outcome["layout"], columns=self.resource_class().columns
        )
        context["mapping_target"] = self.confirm_initial(target)
        if outcome["clean"]:
            context["confirm_form"] = self.confirm_form_class(initial=initial)
        return context

    def _outcome_context(self, outcome: dict[str, Any]) -> dict[str, Any]:
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
