"""Reports laid out as Vietnamese administrative documents, given plain data.

Offices sign their month, quarter and year reports as administrative documents, laid
out as Decree 30/2020/NĐ-CP (Appendix I) sets them out: the issuing body top left (the
body above it in upper case, the issuing body itself in bold upper case with a short
line under it), the national motto top right, the document's number under the issuing
body and the place and date under the motto (or above the signature, as the forms'
"Người lập biểu" layout has it), the title in bold upper case, centred, with its period
under it, the tables, the notes and the signature block ("Nơi nhận:" on the left, the
signer's title in bold upper case on the right).

A :class:`Document` holds all of it as plain data: its words are the document's own
(they are data, in the language the report is written in; this module translates
nothing). :func:`write_xlsx` lays it out for Excel, :func:`write_csv` gives its tables
alone for the plain data export, and :mod:`scoring.lib.document_views` prints it as an
HTML page and answers a page's "Print" and "Download" links. Knows no model.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from scoring.lib.spreadsheets import DATE_FORMAT, neutralise

Value = str | int | float | Decimal | datetime.date | None

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
SIGN_HINT = "(Ký, ghi rõ họ tên)"
RECIPIENTS = "Nơi nhận:"
TOTAL = "Tổng cộng"
FORMATS = ("xlsx", "csv")


def place_date(place: str, day: datetime.date) -> str:
    """The place and date line: "Tuyên Quang, ngày 05 tháng 12 năm 2026".

    Decree 30/2020/NĐ-CP, Appendix I, II.5: days below 10 and the months January and
    February are written with a leading zero ("ngày 05 tháng 02"), other months without
    ("tháng 3"). Without a place, the line is the date alone.
    """
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    dated = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {dated}" if place else dated


def month_line(year: int, month: int) -> str:
    """The period line under the title of a month report: "Tháng 11 năm 2026"."""
    return f"Tháng {month} năm {year}"


@dataclass(frozen=True)
class Column:
    """One column of a table: its header, and how its values are shown.

    ``decimals`` fixes the places of a number column (scores have two: 82,67); ``None``
    shows numbers as they are. ``width`` is in characters; by default the column is as
    wide as its longest value (within bounds), its header wrapping.
    """

    title: str
    decimals: int | None = None
    width: float | None = None


@dataclass(frozen=True)
class ColumnGroup:
    """Columns under one merged header ("Kết quả đánh giá" over "Điểm" and "Mức")."""

    title: str
    columns: Sequence[Column]


@dataclass(frozen=True)
class Table:
    """A table: headers (one row, or two with merged group headers), rows, a total row.

    Each row holds one value per column (:attr:`columns`, groups flattened). ``total``
    holds the values of the last columns of the total row; ``total_label`` fills the
    columns before them, merged. ``caption`` is a heading above the table ("I. Khối cơ
    quan").
    """

    headers: Sequence[Column | ColumnGroup]
    rows: Sequence[Sequence[Value]]
    total: Sequence[Value] | None = None
    total_label: str = TOTAL
    caption: str = ""

    @property
    def columns(self) -> list[Column]:
        """The columns under the headers, left to right."""
        flat: list[Column] = []
        for header in self.headers:
            flat.extend(header.columns if isinstance(header, ColumnGroup) else [header])
        return flat

    @property
    def grouped(self) -> bool:
        """Whether the header takes two rows (some columns stand under a group)."""
        return any(isinstance(header, ColumnGroup) for header in self.headers)

    @property
    def total_span(self) -> int:
        """How many columns the total row's label spans."""
        return len(self.columns) - len(self.total or ())

    def header_cells(self) -> list[list[HeaderCell]]:
        """The header rows as cells with their spans, as a page or a sheet lays them."""
        depth = 2 if self.grouped else 1
        top: list[HeaderCell] = []
        below: list[HeaderCell] = []
        column = 0
        for header in self.headers:
            if isinstance(header, ColumnGroup):
                top.append(HeaderCell(header.title, column, 1, len(header.columns)))
                for index, child in enumerate(header.columns):
                    below.append(HeaderCell(child.title, column + index, 1, 1))
                column += len(header.columns)
            else:
                top.append(HeaderCell(header.title, column, depth, 1))
                column += 1
        return [top, below] if below else [top]


@dataclass(frozen=True)
class HeaderCell:
    """A header cell: its text, first column (from 0), and the rows and columns it spans."""

    text: str
    column: int
    rows: int
    columns: int


@dataclass(frozen=True)
class Signer:
    """One signature: the title's lines ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), shown in bold
    upper case, the hint under them, and the name, in bold, under the space to sign."""

    titles: Sequence[str]
    name: str = ""
    hint: str = SIGN_HINT


@dataclass(frozen=True)
class Signatures:
    """The signature block: the signer on the right, optionally a second signer (the
    "NGƯỜI LẬP BIỂU") and the list of recipients ("Nơi nhận:") on the left."""

    signer: Signer
    second: Signer | None = None
    recipients: Sequence[str] = ()

    def blocks(self) -> list[Signer | Sequence[str]]:
        """Left to right: the recipients, the second signer, the signer."""
        blocks: list[Signer | Sequence[str]] = []
        if self.recipients:
            blocks.append(self.recipients)
        if self.second is not None:
            blocks.append(self.second)
        return [*blocks, self.signer]


@dataclass(frozen=True)
class Document:
    """An administrative document: a report of one unit or locality for a period.

    ``issuer`` is one or two lines (the body above, then the issuing body itself, e.g.
    "UBND TỈNH TUYÊN QUANG" / "SỞ NỘI VỤ"). ``place`` and ``day`` make the place and date
    line (:func:`place_date`), shown under the motto, or above the signature when
    ``dated_above_signature``. ``day`` also dates the workbook, so the same document
    always gives the same file. ``stem`` names the downloaded file.
    """

    title: str
    issuer: Sequence[str]
    tables: Sequence[Table]
    subtitle: str = ""
    number: str = ""
    place: str = ""
    day: datetime.date | None = None
    dated_above_signature: bool = False
    notes: Sequence[str] = ()
    signatures: Signatures | None = None
    stem: str = "bao-cao"
    creator: str = ""
    landscape: bool | None = None  # None: landscape when the tables are too wide
    nation: str = NATION
    motto: str = MOTTO
    sheet_name: str = "Báo cáo"
    language: str = "vi"  # the language of the document's own words

    @property
    def dated(self) -> str:
        """The place and date line, or "" when the document has no date."""
        if self.day is None:
            return ""
        return place_date(self.place, self.day)

    @property
    def width(self) -> int:
        """The number of columns of the widest table (at least two, for the header)."""
        return max([2, *(len(table.columns) for table in self.tables)])

    def filename(self, kind: str) -> str:
        return f"{self.stem}.{kind}"


def wall_clock(value: datetime.datetime) -> datetime.datetime:
    """A moment as the office's clock shows it, without a time zone (Excel has none)."""
    if timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


# Plain data export ----------------------------------------------------------------------


def plain(value: Value, column: Column) -> str | int | float:
    """A value as the plain export writes it: numbers with "." decimals (at the column's
    places), dates as the product's other files write them, text neutralised."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float, Decimal)):
        if column.decimals is not None:
            return f"{value:.{column.decimals}f}"
        return str(value)
    if isinstance(value, datetime.datetime):
        return wall_clock(value).strftime(DATE_FORMAT + " %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime(DATE_FORMAT)
    if value is None:
        return ""
    return neutralise(value)


def csv_headers(table: Table) -> list[str]:
    """One header row: a grouped column is named "Group - Column"."""
    names: list[str] = []
    for header in table.headers:
        if isinstance(header, ColumnGroup):
            names.extend(f"{header.title} - {child.title}" for child in header.columns)
        else:
            names.append(header.title)
    return [neutralise(name) for name in names]


def write_csv(document: Document) -> bytes:
    """The document's tables alone (header and rows, no total), UTF-8 with a BOM for
    Excel; several tables follow each other after a blank line, each with its header."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for index, table in enumerate(document.tables):
        if index:
            writer.writerow([])
        writer.writerow(csv_headers(table))
        columns = table.columns
        for row in table.rows:
            writer.writerow(
                [plain(value, column) for value, column in zip(row, columns, strict=False)]
            )
    return out.getvalue().encode("utf-8-sig")


def write_xlsx(document: Document) -> bytes:
    """The document as an XLSX workbook laid out for A4 (:mod:`scoring.lib.documents_xlsx`,
    which reads the classes above, hence the import here)."""
    from scoring.lib.documents_xlsx import write

    return write(document)


def write_file(document: Document, kind: str) -> bytes:
    """The document as ``kind`` ("xlsx" or "csv"): the one function the admin's pages
    and the commands call, so both give the same bytes."""
    if kind == "xlsx":
        return write_xlsx(document)
    if kind == "csv":
        return write_csv(document)
    raise ValueError(f"unknown document format {kind!r}")
