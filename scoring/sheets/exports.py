"""The export page of any table: every row as XLSX or CSV, made in the background."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from scoring.jobs import runner
from scoring.lib.spreadsheets import CONTENT_TYPES
from scoring.sheets.jobs import EXPORT, resource_path
from scoring.sheets.sheets import SheetPermissionMixin


class ExportView(SheetPermissionMixin, View):
    """Every unit or every person as ``?format=xlsx`` (the default) or ``?format=csv``.

    The file is made by a background job; the answer is its page, which offers the file
    to download once it is ready.
    """

    action = "view"

    def get(self, request: HttpRequest) -> HttpResponse:
        kind = request.GET.get("format", "xlsx")
        if kind not in CONTENT_TYPES:
            return HttpResponseBadRequest(str(_("Choose the format xlsx or csv.")))
        sheet = self.sheet
        job = runner.start(
            EXPORT,
            request.user,
            {
                "resource": resource_path(sheet.resource_class),
                "format": kind,
                "file_stem": sheet.file_stem,
            },
            title=gettext("Export %(file)s") % {"file": f"{sheet.file_stem}.{kind}"},
        )
        return redirect(runner.job_url(job))
