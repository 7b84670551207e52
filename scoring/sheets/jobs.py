"""A table's export as a background job: the file is made by a worker and kept for the
requester, who downloads it from the job's page (:mod:`scoring.jobs.admin`)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from scoring.jobs.models import Job
from scoring.jobs.runner import Progress, job_kind, save_file
from scoring.lib.spreadsheets import export_file

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
