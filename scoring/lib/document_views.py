"""A :class:`~scoring.lib.documents.Document` on the web: its print view and downloads.

A page that shows a report offers it three ways (:func:`document_links`): "Print" opens
the print view (``?format=print``), an A4 page laid out as the signed document, which the
browser prints or saves as PDF with no script; "Download XLSX" and "Download CSV" give
the files :func:`scoring.lib.documents.write_file` writes, byte for byte what the
command line writes for the same data. :func:`document_response` answers those three
requests; :class:`DocumentMixin` adds it to a class-based view.

Numbers are shown as the reader's language writes them (82,67 in Vietnamese, 82.67 in
English: :func:`django.utils.formats.number_format`); the document's own words are data
and shown as given, while the toolbar's words are translated.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.utils.formats import number_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from scoring.lib.documents import (
    FORMATS,
    RECIPIENTS,
    Column,
    Document,
    HeaderCell,
    Signer,
    Table,
    Value,
    wall_clock,
    write_file,
)
from scoring.lib.documents_xlsx import is_landscape
from scoring.lib.spreadsheets import CONTENT_TYPES

TEMPLATE = "scoring/documents/print.html"
PRINT = "print"


@dataclass(frozen=True)
class ShownCell:
    """A value as the print view shows it, and whether it is a number, a date or text
    (numbers and dates are centred, text reads from the left)."""

    text: str
    kind: str


def shown(value: Value, column: Column) -> ShownCell:
    if isinstance(value, bool) or value is None:
        return ShownCell("" if value is None else str(value), "text")
    if isinstance(value, (int, float, Decimal)):
        return ShownCell(number_format(value, decimal_pos=column.decimals), "number")
    if isinstance(value, datetime.datetime):
        return ShownCell(wall_clock(value).strftime("%d/%m/%Y %H:%M"), "date")
    if isinstance(value, datetime.date):
        return ShownCell(value.strftime("%d/%m/%Y"), "date")
    return ShownCell(str(value), "text")


@dataclass(frozen=True)
class ShownTable:
    """A table as the print view lays it out."""

    caption: str
    header: list[list[HeaderCell]]
    rows: list[list[ShownCell]]
    total_label: str
    total_span: int
    total: list[ShownCell] | None


def shown_table(table: Table) -> ShownTable:
    columns = table.columns
    rows = [
        [shown(value, column) for value, column in zip(row, columns, strict=False)]
        for row in table.rows
    ]
    total = None
    if table.total is not None:
        tail = columns[table.total_span :]
        total = [shown(value, column) for value, column in zip(table.total, tail, strict=False)]
    return ShownTable(
        table.caption, table.header_cells(), rows, table.total_label, table.total_span, total
    )


@dataclass(frozen=True)
class ShownBlock:
    """A block of the signatures: a signer, or the list of recipients."""

    kind: str  # "signer" or "recipients"
    titles: list[str]
    hint: str = ""
    name: str = ""
    dated: str = ""


def signature_blocks(document: Document) -> list[ShownBlock]:
    if document.signatures is None:
        return []
    blocks = []
    for block in document.signatures.blocks():
        if isinstance(block, Signer):
            dated = ""
            if block is document.signatures.signer and document.dated_above_signature:
                dated = document.dated
            titles = [title.upper() for title in block.titles]
            blocks.append(ShownBlock("signer", titles, block.hint, block.name, dated))
        else:
            blocks.append(ShownBlock("recipients", [RECIPIENTS, *block]))
    return blocks


def with_format(request: HttpRequest, kind: str) -> str:
    """This page's address asking for ``kind``, its other parameters kept."""
    query = request.GET.copy()
    query["format"] = kind
    return f"{request.path}?{query.urlencode()}"


def document_links(request: HttpRequest) -> list[dict[str, str]]:
    """The links a page showing a document offers: print, XLSX, CSV."""
    return [
        {"kind": PRINT, "label": _("Print"), "url": with_format(request, PRINT)},
        {"kind": "xlsx", "label": _("Download XLSX"), "url": with_format(request, "xlsx")},
        {"kind": "csv", "label": _("Download CSV"), "url": with_format(request, "csv")},
    ]


def render_print(request: HttpRequest, document: Document, back: str = "") -> TemplateResponse:
    """The print view of ``document``: an A4 page laid out as the signed document, with
    a toolbar (downloads, and ``back`` to the page it came from) that is not printed."""
    downloads = [link for link in document_links(request) if link["kind"] != PRINT]
    context: dict[str, Any] = {
        "document": document,
        "issuer": list(document.issuer)[-2:],
        "tables": [shown_table(table) for table in document.tables],
        "blocks": signature_blocks(document),
        "orientation": "landscape" if is_landscape(document) else "portrait",
        "downloads": downloads,
        "back": back,
    }
    return TemplateResponse(request, TEMPLATE, context)


def file_response(document: Document, kind: str) -> HttpResponse:
    """The document as a file to download: the bytes the command line writes too."""
    response = HttpResponse(write_file(document, kind), content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = content_disposition_header(True, document.filename(kind))
    return response


def requested_format(request: HttpRequest) -> str | None:
    return request.GET.get("format") or None


def document_response(
    request: HttpRequest, document: Document, back: str = ""
) -> HttpResponse | None:
    """The answer to ``?format=print|xlsx|csv``, or ``None`` when the request asks for
    no format (the page shows itself); an unknown format is a bad request."""
    kind = requested_format(request)
    if kind is None:
        return None
    if kind == PRINT:
        return render_print(request, document, back)
    if kind in FORMATS:
        return file_response(document, kind)
    return HttpResponseBadRequest(_("Choose the format print, xlsx or csv."))


class DocumentMixin:
    """A view whose page shows a report and offers it as print view, XLSX and CSV.

    The view gives its :class:`Document` (``get_document``, built only when a format is
    asked for); its template receives ``document_links`` (see
    ``templates/includes/document_links.html``). Permission checks stay the view's own,
    ahead of this mixin in ``dispatch``.
    """

    request: HttpRequest

    def get_document(self) -> Document:
        raise NotImplementedError

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if requested_format(request) is not None:
            response = document_response(request, self.get_document(), back=request.path)
            assert response is not None
            return response
        return super().get(request, *args, **kwargs)  # type: ignore[misc]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["document_links"] = document_links(self.request)
        return context
