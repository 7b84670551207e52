"""The export page of any table: every row as XLSX or CSV."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from scoring.lib.spreadsheets import CONTENT_TYPES, export_file
from scoring.sheets.sheets import SheetPermissionMixin


class ExportView(SheetPermissionMixin, View):
    """Every unit or every person as ``?format=xlsx`` (the default) or ``?format=csv``."""

    action = "view"

    def get(self, request: HttpRequest) -> HttpResponse:
        kind = request.GET.get("format", "xlsx")
        if kind not in CONTENT_TYPES:
            return HttpResponseBadRequest(str(_("Choose the format xlsx or csv.")))
        content = export_file(self.sheet.resource_class(), kind)
        response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
        filename = f"{self.sheet.file_stem}-{timezone.localdate():%Y-%m-%d}.{kind}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
