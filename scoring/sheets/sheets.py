"""The tables offices bring and take as spreadsheets, and the pages that move them.

A feature declares each of its tables as a :class:`Sheet` and mounts its import and
export pages with :func:`sheet_urls` (see :mod:`scoring.organisation.admin`); the pages
themselves are :mod:`scoring.sheets.imports` and :mod:`scoring.sheets.exports`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.functional import Promise
from wagtail.admin.menu import MenuItem

from scoring.lib.spreadsheets import SpreadsheetResource

app_name = "scoring_imports"


@dataclass(frozen=True)
class Sheet:
    """One importable table: its resource, its model and the names it goes by."""

    slug: str
    resource_class: type[SpreadsheetResource]
    model: type[models.Model]
    title: Promise
    file_stem: str
    icon: str
    namespace: str = app_name  # the URL namespace its pages are mounted in
    import_view: type | None = None  # an ImportView subclass, when the table needs one

    def permission(self, action: str) -> str:
        return f"{self.model._meta.app_label}.{action}_{self.model._meta.model_name}"

    def url(self, action: str) -> str:
        return reverse(f"{self.namespace}:{action}_{self.slug}")


def sheet_menu_items(sheets: list[Sheet], first_order: int) -> list[MenuItem]:
    """A menu entry per sheet, for users who may import into it."""
    return [
        PermissionMenuItem(
            sheet.title,
            reverse_lazy(f"{sheet.namespace}:import_{sheet.slug}"),
            name=f"import-{sheet.slug}",
            icon_name="upload",
            order=first_order + 10 * index,
            permission=sheet.permission("add"),
        )
        for index, sheet in enumerate(sheets)
    ]


def forbidden(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "scoring/import/forbidden.html", status=403)


class SheetPermissionMixin:
    """Logged-out users go to the login page; users without ``action`` get a 403."""

    sheet: Sheet | None = None  # each URL names its table: as_view(sheet=…)
    action = "add"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
        if not request.user.has_perm(self.sheet.permission(self.action)):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


# Menu ---------------------------------------------------------------------------------------


class PermissionMenuItem(MenuItem):
    """A menu item shown only to users holding ``permission``."""

    def __init__(self, *args: Any, permission: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(self.permission)
