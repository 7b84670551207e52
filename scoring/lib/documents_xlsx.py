"""A :class:`~scoring.lib.documents.Document` laid out on an XLSX sheet, as offices print it.

The issuing body and the motto are merged across the table's width (two fifths and three
fifths), the title and period under them, the tables with wrapped, bordered headers (the
first table's repeated on every printed page), the notes, then the signatures. Times New
Roman 13 (the title 14), A4 fitted to the width with Decree 30's margins, portrait unless
the tables are too wide, page numbers in the footer. Numbers are written as numbers with
an Excel format ("0.00" shows 82,67 in a Vietnamese Excel), dates as dates. Row heights
are set from the text, since Excel never fits the height of merged cells.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.packaging.core import DocumentProperties
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from scoring.lib.documents import (
    RECIPIENTS,
    Column,
    Document,
    HeaderCell,
    Signer,
    Table,
    Value,
    wall_clock,
)

# Fonts, sizes and the page

FONT = "Times New Roman"
SIZE = 13  # the body, tables and blocks (Decree 30: 13 to 14)
TITLE_SIZE = 14
SMALL = 12  # "Nơi nhận:"; the recipients are one smaller (Decree 30, Appendix I)
CHARACTER = 0.85  # the width of a character of Times New Roman 13 in Excel's units
LINE_CHARACTER = 0.8  # as it wraps: a row a little too tall is better than text cut off
LINE_POINTS = 17.5  # the height of a 13-point line
BLOCK_WIDTH = 18  # the narrowest a signature block may be, in characters
PORTRAIT_WIDTH = 90  # the characters of A4 portrait between Decree 30's margins
LANDSCAPE_WIDTH = 137  # and of A4 landscape
MM = 1 / 25.4
# Decree 30, Appendix I, I.4: top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
MARGINS = PageMargins(left=30 * MM, right=15 * MM, top=20 * MM, bottom=20 * MM)
FIXED_TIME = datetime.datetime(2000, 1, 1)
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
SIGNING_LINES = 4  # the blank lines left to sign in
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def inline(bold: bool = False, italic: bool = False, size: int = SIZE) -> InlineFont:
    return InlineFont(rFont=FONT, sz=size, b=bold or None, i=italic or None)


BODY = Font(name=FONT, size=SIZE)
ITALIC = Font(name=FONT, size=SIZE, italic=True)


def is_list(block: object) -> bool:
    """Whether a signature block is the list of recipients (not a signer)."""
    return not isinstance(block, Signer)


def font(bold: bool = False, italic: bool = False, underline: bool = False, size: int = SIZE):
    return Font(
        name=FONT, size=size, bold=bold, italic=italic, underline="single" if underline else None
    )


def number_format(value: Value, column: Column) -> str:
    """Excel's format of a cell: numbers stay numbers ("0.00" shows 82,67 to a Vietnamese
    Excel), dates are dates."""
    if isinstance(value, datetime.datetime):
        return "dd/mm/yyyy hh:mm"
    if isinstance(value, datetime.date):
        return "dd/mm/yyyy"
    if isinstance(value, (int, float, Decimal)) and column.decimals is not None:
        return "0." + "0" * column.decimals if column.decimals else "0"
    return "General"


def shown_length(value: Value, column: Column) -> int:
    """How many characters a value takes on the sheet."""
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    if isinstance(value, (int, float, Decimal)) and column.decimals is not None:
        return len(f"{value:.{column.decimals}f}")
    return max((len(line) for line in str(value or "").splitlines()), default=0)


def column_width(table: Table, index: int) -> float:
    """The column's width in characters: its values on one line, its header wrapped."""
    column = table.columns[index]
    if column.width is not None:
        return column.width
    longest = max((shown_length(row[index], column) for row in table.rows), default=0)
    words = max((len(word) for word in column.title.split()), default=0)
    return min(max(longest * CHARACTER, words * CHARACTER * 1.1, len(column.title) / 3, 4) + 2, 45)


def natural_widths(document: Document) -> list[float]:
    """Each column as wide as its text asks, whichever table it is in."""
    widths = [8.0] * document.width
    for table in document.tables:
        for index in range(len(table.columns)):
            widths[index] = max(widths[index], column_width(table, index))
    return widths


def is_landscape(document: Document) -> bool:
    """Whether the document prints on A4 landscape: when asked, or when its tables are
    too wide for portrait."""
    if document.landscape is not None:
        return document.landscape
    return sum(natural_widths(document)) > PORTRAIT_WIDTH


def column_widths(document: Document) -> list[float]:
    """The columns widened in proportion to fill the page's width (Excel fits a wide
    sheet to the page, but never widens a narrow one), so the header blocks have room."""
    widths = natural_widths(document)
    page = LANDSCAPE_WIDTH if is_landscape(document) else PORTRAIT_WIDTH
    total = sum(widths)
    if total >= page:
        return widths
    return [width * page / total for width in widths]


def lines(text: str, width: float, size: float = SIZE, bold: bool = False) -> int:
    """How many lines ``text`` wraps to across ``width`` characters of the sheet."""
    per_line = max(width * SIZE / size / (1.1 if bold else 1) - 1, 1)
    return sum(
        max(-(-int(len(line) * LINE_CHARACTER) // int(per_line)), 1) for line in text.split("\n")
    )


class Sheet:
    """The document being written onto a worksheet, one row after another."""

    def __init__(self, document: Document, worksheet: Worksheet) -> None:
        self.document = document
        self.ws = worksheet
        self.widths = column_widths(document)
        self.split = self._split()
        self.row = 1

    def _split(self) -> int:
        """The columns of the left header block: about two fifths of the width."""
        total, running = sum(self.widths), 0.0
        for index, width in enumerate(self.widths[:-1], start=1):
            running += width
            if running >= total * 0.4:
                return index
        return len(self.widths) - 1

    def write(self, row: int, column: int, value: Value) -> Cell:
        """``value`` in a cell; text is always text, never a formula ("=1+2" stays as
        typed: openpyxl would otherwise write it as a formula)."""
        if isinstance(value, datetime.datetime):
            value = wall_clock(value)
        cell = self.ws.cell(row=row, column=column, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        return cell

    def width_of(self, first: int, last: int) -> float:
        return sum(self.widths[first - 1 : last])

    def put(
        self,
        row: int,
        first: int,
        last: int,
        text: Value,
        style: Font,
        align: str = "center",
        vertical: str = "center",
    ) -> Cell:
        """``text`` in a cell merged from column ``first`` to ``last`` of ``row``."""
        if last > first:
            self.ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        cell = self.write(row, first, text)
        cell.font = style
        cell.alignment = Alignment(horizontal=align, vertical=vertical, wrap_text=True)
        size = style.sz or SIZE
        height = lines(str(text or ""), self.width_of(first, last), size, bool(style.b))
        self.fit(row, height, size)
        return cell

    def fit(self, row: int, count: int, size: float = SIZE) -> None:
        """Make ``row`` tall enough for ``count`` lines (Excel does not fit merged cells)."""
        height = count * LINE_POINTS * size / SIZE
        current = self.ws.row_dimensions[row].height or 0
        self.ws.row_dimensions[row].height = max(current, height)

    def across(self, text: str, style: Font, align: str = "center") -> None:
        self.put(self.row, 1, len(self.widths), text, style, align)
        self.row += 1

    def gap(self) -> None:
        self.row += 1

    # The blocks, top to bottom.

    def header(self) -> None:
        """The issuing body on the left, the motto on the right, then the number and
        the place and date."""
        doc, right, last = self.document, self.split + 1, len(self.widths)
        issuer = list(doc.issuer)[-2:]
        for offset, line in enumerate(issuer):
            own = offset == len(issuer) - 1
            self.put(self.row + offset, 1, self.split, line.upper(), font(bold=own, underline=own))
        self.put(self.row, right, last, doc.nation, font(bold=True))
        self.put(self.row + 1, right, last, doc.motto, font(True, underline=True, size=14))
        self.row += max(len(issuer), 2)
        dated = "" if doc.dated_above_signature else doc.dated
        if doc.number or dated:
            self.put(self.row, 1, self.split, doc.number, font())
            self.put(self.row, right, last, dated, font(italic=True))
            self.row += 1

    def titles(self) -> None:
        self.gap()
        self.across(self.document.title.upper(), font(bold=True, size=TITLE_SIZE))
        if self.document.subtitle:
            self.across(self.document.subtitle, font(bold=True))
        self.gap()

    def table(self, table: Table) -> tuple[int, int]:
        """The table with its borders; the rows its header takes."""
        if table.caption:
            self.across(table.caption, font(bold=True), align="left")
        first = self.row
        for cells in table.header_cells():
            for cell in cells:
                self._header_cell(cell)
            self.row += 1
        header = (first, self.row - 1)
        columns = table.columns
        for values in table.rows:
            self._row(values, columns, font())
        if table.total is not None:
            self._total(table)
        return header

    def _header_cell(self, cell: HeaderCell) -> None:
        column, last_row = cell.column + 1, self.row + cell.rows - 1
        last_column = column + cell.columns - 1
        self.ws.merge_cells(
            start_row=self.row, start_column=column, end_row=last_row, end_column=last_column
        )
        written = self.write(self.row, column, cell.text)
        written.font = font(bold=True)
        written.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in range(self.row, last_row + 1):
            for index in range(column, last_column + 1):
                self.ws.cell(row=row, column=index).border = BOX
        count = lines(cell.text, self.width_of(column, last_column), bold=True)
        self.fit(self.row, -(-count // cell.rows))

    def _row(self, values: Sequence[Value], columns: Sequence[Column], style: Font) -> None:
        tallest = 1
        for index, (value, column) in enumerate(zip(values, columns, strict=False), start=1):
            cell = self.write(self.row, index, value)
            cell.font = style
            cell.border = BOX
            cell.number_format = number_format(value, column)
            is_text = isinstance(value, str)
            cell.alignment = Alignment(
                horizontal="left" if is_text else "center", vertical="center", wrap_text=True
            )
            if is_text:
                tallest = max(tallest, lines(value, self.widths[index - 1]))
        for index in range(len(values) + 1, len(columns) + 1):
            self.ws.cell(row=self.row, column=index).border = BOX
        self.fit(self.row, tallest)
        self.row += 1

    def _total(self, table: Table) -> None:
        span, columns = table.total_span, table.columns
        self._row([None] * span + list(table.total or ()), columns, font(bold=True))
        if span:
            self.put(self.row - 1, 1, span, table.total_label, font(bold=True))

    def notes(self) -> None:
        if not self.document.notes:
            return
        self.gap()
        for note in self.document.notes:
            self.across(note, font(italic=True), align="left")

    def signatures(self) -> None:
        """The signature blocks, each in one cell so that no page break ever parts a
        signer's title from their name; the place and date line heads the signer's
        block when it stands above the signature."""
        if self.document.signatures is None:
            if self.document.dated_above_signature and self.document.dated:
                self.gap()
                self.put(self.row, self.split + 1, len(self.widths), self.document.dated, ITALIC)
            return
        for blocks in self._spans():
            self.gap()
            tallest = 1
            heads = [self._head(block) for block, _columns in blocks if not is_list(block)]
            for block, (first, last) in blocks:
                text, count = self._block(block, max(heads, default=0))
                align = "left" if is_list(block) else "center"
                self.put(self.row, first, last, text, BODY, align, vertical="top")
                tallest = max(tallest, count)
            self.fit(self.row, tallest)
            self.row += 1

    def _spans(self) -> list[list[tuple[Signer | Sequence[str], tuple[int, int]]]]:
        """The rows of signature blocks, each block with the columns it takes: the signer
        under the motto, the others side by side on the left when it is wide enough for
        two, else the recipients in a row of their own under the second signer."""
        signatures = self.document.signatures
        assert signatures is not None
        right = (signatures.signer, (self.split + 1, len(self.widths)))
        left = signatures.blocks()[:-1]
        middle = self._middle()
        if len(left) == 2 and middle is not None:
            return [[(left[0], (1, middle)), (left[1], (middle + 1, self.split)), right]]
        if len(left) == 2:
            return [[(left[1], (1, self.split)), right], [(left[0], (1, self.split))]]
        return [[*((block, (1, self.split)) for block in left), right]]

    def _middle(self) -> int | None:
        """The last column of the left half of the left block, when both halves are wide
        enough for a signature."""
        total, running = self.width_of(1, self.split), 0.0
        for index in range(1, self.split):
            running += self.widths[index - 1]
            if running >= total / 2:
                return index if min(running, total - running) >= BLOCK_WIDTH else None
        return None

    def _dated(self, signer: Signer) -> str:
        """The place and date line when it heads this signer's block."""
        signatures = self.document.signatures
        if signatures and signer is signatures.signer and self.document.dated_above_signature:
            return self.document.dated
        return ""

    def _head(self, signer: Signer) -> int:
        """The lines of a signer's block above the space to sign."""
        return bool(self._dated(signer)) + len(signer.titles) + bool(signer.hint)

    def _block(self, block: Signer | Sequence[str], head: int) -> tuple[CellRichText, int]:
        """One block as the text of one cell, and its number of lines; a signer's space
        to sign is longer when its head is shorter than ``head``, so that the names of
        the signers side by side stand level."""
        parts: list[tuple[InlineFont, str]] = []
        if is_list(block):
            parts.append((inline(bold=True, italic=True, size=SMALL), RECIPIENTS))
            parts.extend((inline(size=SMALL - 1), recipient) for recipient in block)
        else:
            signer = block
            parts.append((inline(italic=True), self._dated(signer)))
            parts.extend((inline(bold=True), title.upper()) for title in signer.titles)
            if signer.hint:
                parts.append((inline(italic=True), signer.hint))
            space = SIGNING_LINES - 1 + head - self._head(signer)
            parts.append((inline(), "\n" * space))  # the space to sign
            parts.append((inline(bold=True), signer.name))
        parts = [(style, text) for style, text in parts if text]
        blocks = [
            TextBlock(style, text + ("\n" if index < len(parts) - 1 else ""))
            for index, (style, text) in enumerate(parts)
        ]
        return CellRichText(blocks), sum(text.count("\n") + 1 for _style, text in parts)

    def page_setup(self, header: tuple[int, int] | None) -> None:
        """A4 fitted to the width, the table's header on every page, page numbers."""
        ws, doc = self.ws, self.document
        for index, width in enumerate(self.widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = round(width, 1)
        landscape = is_landscape(doc)
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_margins = MARGINS
        ws.print_options.horizontalCentered = True
        ws.oddFooter.center.text = "&P/&N"
        ws.oddFooter.center.font = f"{FONT},Regular"
        ws.oddFooter.center.size = SMALL
        if header is not None:
            ws.print_title_rows = f"{header[0]}:{header[1]}"
        ws.sheet_view.showGridLines = False


class _FixedTimeZip(zipfile.ZipFile):
    """A zip archive whose entries all carry one fixed time, so the same workbook
    always gives the same bytes (``ZipFile`` stamps an entry with the time it is written,
    or with its temporary file's, as openpyxl writes each worksheet)."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=ZIP_TIME)
            zinfo_or_arcname.compress_type = self.compression
            zinfo_or_arcname.external_attr = 0o600 << 16
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        with open(filename, "rb") as source:
            self.writestr(arcname or filename, source.read(), compress_type, compresslevel)


def write(document: Document) -> bytes:
    """The document as an XLSX workbook, one sheet laid out for A4.

    The same document gives the same bytes: the workbook is dated with the document's
    day (or a fixed date), never with the time it is written. Only the first table's
    header is repeated on each printed page (a sheet has one range of print titles).
    """
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = document.sheet_name[:31]
    sheet = Sheet(document, worksheet)
    sheet.header()
    sheet.titles()
    headers = []
    for index, table in enumerate(document.tables):
        if index:
            sheet.gap()
        headers.append(sheet.table(table))
    sheet.notes()
    sheet.signatures()
    sheet.page_setup(headers[0] if headers else None)
    return _save(workbook, document)


def _save(workbook: Workbook, document: Document) -> bytes:
    when = FIXED_TIME
    if document.day is not None:
        when = datetime.datetime.combine(document.day, datetime.time())
    creator = document.creator or (list(document.issuer) or [""])[-1]
    workbook.properties = DocumentProperties(
        creator=creator, lastModifiedBy=creator, title=document.title, created=when, modified=when
    )
    out = io.BytesIO()
    ExcelWriter(workbook, _FixedTimeZip(out, "w", zipfile.ZIP_DEFLATED)).save()
    return out.getvalue()
