"""A table's export as a background job: the file is made by a worker and kept for the
requester, who downloads it from the job's page (:mod:`scoring.jobs.admin`)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from scoring.jobs.models import Job
from scoring.jobs.runner import JobRefused, Progress, job_kind, save_file
from scoring.lib.spreadsheets import SpreadsheetResource, export_file
from scoring.sheets.models import remember
from scoring.sheets.running import STALE_MESSAGE, StaleUpload, Upload, run_sheet

EXPORT = "export_sheet"


def resource_path(resource_class: type) -> str:
    """The dotted path a worker imports the table's resource from."""
    return f"{resource_class.__module__}.{resource_class.__qualname__}"


@job_kind(EXPORT, title=_("Export a table"), result_template="scoring/jobs/exported.html")
def export_sheet(job: Job, progress: Progress) -> dict:
    """Payload: the ``resource`` class's path, the ``format`` (xlsx, csv), the ``file_stem``."""
    progress(0, 1)
    resource_class = import_string(job.payload["resource"])
    kind = job.payload["format"]
    content = export_file(resource_class(), kind)
    save_file(job, f"{job.payload['file_stem']}-{timezone.localdate():%Y-%m-%d}.{kind}", content)
    progress(1, 1)
    return {"format": kind, "size": len(content)}


# Imports ------------------------------------------------------------------------------

PREVIEW, IMPORT = "preview_sheet", "import_sheet"
REFUSED = _("Nothing was imported: the file has problems.")


def run_payload(
    resource_class: type, table: str, target: Any, upload: Upload, confirmed=None
) -> dict:
    """What an import's job is given: plain data a worker can rebuild the run from."""
    return {
        "resource": resource_path(resource_class),
        "table": table,
        "target": getattr(target, "pk", target),
        "upload": asdict(upload),
        "confirmed": confirmed,
    }


def _parts(job: Job, progress: Progress) -> tuple[SpreadsheetResource, Upload, bytes]:
    payload = job.payload
    resource_class = import_string(payload["resource"])
    resource = resource_class.for_run(payload["target"], job.requested_by, payload["confirmed"])
    resource.progress = progress
    upload = Upload(**payload["upload"])
    try:
        content = upload.content()
    except StaleUpload:
        raise JobRefused(STALE_MESSAGE) from None
    progress(0)
    return resource, upload, content


@job_kind(PREVIEW, title=_("Preview an import"), result_template="scoring/import/job_done.html")
def preview_sheet(job: Job, progress: Progress) -> dict:
    """Read the stored file and run it as a dry run; the outcome is the preview, with the
    token that confirms it."""
    resource, upload, content = _parts(job, progress)
    outcome = run_sheet(resource, content, upload.file, upload.chosen, dry_run=True)
    if outcome["file_error"]:
        raise JobRefused(outcome["file_error"])
    upload.proposals = [proposal["key"] for proposal in outcome["proposals"]]
    return {**outcome, "token": upload.token(), "extras": resource.outcome_extras()}


@job_kind(IMPORT, title=_("Import a file"), result_template="scoring/import/job_done.html")
def import_sheet(job: Job, progress: Progress) -> dict:
    """Import the stored file for real, as its preview read it; all or nothing."""
    resource, upload, content = _parts(job, progress)
    outcome = run_sheet(resource, content, upload.file, upload.chosen, dry_run=False)
    if not outcome["clean"]:
        problems = outcome.get("problems") or [outcome["file_error"]]
        raise JobRefused(REFUSED, problems=problems)
    automatic = {
        column["key"]
        for column in outcome["layout"]["columns"]
        if column["key"] not in upload.chosen
    }
    remember(job.payload["table"], upload.chosen, automatic, job.requested_by)
    transaction.on_commit(upload.remove)
    outcome.pop("rows", None)  # the page shows what was done, not every row again
    return {**outcome, "extras": resource.outcome_extras()}
