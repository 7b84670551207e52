"""The office's download of everything stored about one person, from their staff page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import Button

from scoring.access.policy import may_export_person
from scoring.organisation.models import Staff

from .personal_data import export_person

URL_NAME = "scoring_personal_data"


def personal_data_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The person's data as a JSON download (the office only); the export is logged."""
    if not may_export_person(request.user):
        raise PermissionDenied
    staff = get_object_or_404(Staff, pk=pk)
    response = HttpResponse(
        export_person(staff, by=request.user), content_type="application/json; charset=utf-8"
    )
    name = slugify(staff.code) or str(staff.pk)
    response["Content-Disposition"] = f'attachment; filename="personal-data-{name}.json"'
    response["Cache-Control"] = "no-store"
    return response


def personal_data_button(request: HttpRequest, staff: Staff) -> Button | None:
    """The "Export personal data" button of a person's page, for the office."""
    if not may_export_person(request.user):
        return None
    return Button(
        _("Export personal data"),
        url=reverse(URL_NAME, args=[staff.pk]),
        icon_name="download",
        priority=30,
    )


def admin_urls():
    return [path("staff/<int:pk>/personal-data/", personal_data_view, name=URL_NAME)]
