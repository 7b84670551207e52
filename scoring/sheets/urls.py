"""The URL patterns of a feature's import and export pages."""

from __future__ import annotations

from django.urls import include, path

from scoring.sheets.exports import ExportView
from scoring.sheets.imports import ImportView
from scoring.sheets.sheets import Sheet


def sheet_urls(prefix: str, sheets: list[Sheet]) -> list:
    """The import and export pages of ``sheets`` under ``prefix``, in their namespace."""
    patterns = [
        pattern
        for sheet in sheets
        for pattern in (
            path(
                f"import/{sheet.slug}/",
                (sheet.import_view or ImportView).as_view(sheet=sheet),
                name=f"import_{sheet.slug}",
            ),
            path(
                f"export/{sheet.slug}/",
                ExportView.as_view(sheet=sheet),
                name=f"export_{sheet.slug}",
            ),
        )
    ]
    return [path(prefix, include((patterns, sheets[0].namespace)))]
