"""Spreadsheet files in and out, and the base of every import (XLSX and CSV).

An import is all or nothing: :func:`run_import` runs every row inside one transaction
and rolls the whole file back when any row is wrong, so a preview (``dry_run=True``) and
a confirmed import report the same problems. Rows are numbered as the user sees them in
the spreadsheet: an office's file is read where its table sits (:mod:`scoring.lib.layout`)
and each row keeps its number in the file; a plain dataset has its header on row 1.
Unchanged rows are skipped, so importing the same file twice changes nothing. Knows no
model: each
feature's ``resources`` module says which rows become what.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from import_export import exceptions, fields, resources, widgets
from import_export.results import Result, RowResult

from scoring.lib.layout import COMMON_IGNORED, LayoutError, Table, Vocabulary, find_table
from scoring.lib.months import validate_plausible_date
from scoring.lib.names import tidy

HEADER_ROW = 1
DATE_FORMAT = "%d/%m/%Y"
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000  # rows with data; blank rows after the last one are never kept
MAX_COLUMNS = 200  # cells past this column are ignored, whatever the file declares
FILE_FORMATS = {".xlsx": "xlsx", ".csv": "csv"}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def day_text(value: datetime.date) -> str:
    return value.strftime(DATE_FORMAT)


# Reading and writing files ----------------------------------------------------------


class SpreadsheetError(Exception):
    """A file that cannot be read as a table; the message is meant for the user."""


def file_format(filename: str) -> str:
    """``"xlsx"`` or ``"csv"`` from the file name's extension; anything else is refused."""
    try:
        return FILE_FORMATS[Path(filename).suffix.lower()]
    except KeyError:
        raise SpreadsheetError(_("Choose an .xlsx or .csv file.")) from None


def read_dataset(content: bytes, filename: str) -> tablib.Dataset:
    """The first sheet of an XLSX file, or a CSV file, whose first row is the header, as
    a dataset with clean headers (for files this product wrote; offices' own files are
    read by :func:`read_table`).

    Cells are kept in place (blank rows inside the table too) so that row numbers stay
    those of the spreadsheet; only trailing blank rows and unnamed columns are dropped.
    """
    for _name, rows in read_sheets(content, filename):
        return _table_to_dataset(rows)
    raise SpreadsheetError(_("The file is empty."))


def read_sheets(content: bytes, filename: str) -> Iterator[tuple[str | None, list[list[Any]]]]:
    """Each sheet of an XLSX file (its name and rows), or the one table of a CSV file,
    read one at a time as it is asked for."""
    kind = file_format(filename)
    if len(content) > MAX_FILE_BYTES:
        raise SpreadsheetError(
            _("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // 2**20}
        )
    if kind == "xlsx":
        yield from _read_xlsx(content)
    else:
        yield None, _read_csv(content)


@dataclass
class ReadTable:
    """An office's table read for an import: the dataset under the import's own column
    names, and how the file was read (sheet, header row, columns, rows left out)."""

    dataset: tablib.Dataset
    layout: Table

    @property
    def row_numbers(self) -> list[int]:
        return self.layout.row_numbers


def read_table(
    content: bytes,
    filename: str,
    vocabulary: Vocabulary,
    chosen: dict[str, str] | None = None,
) -> ReadTable:
    """The table of an office's file, wherever it sits (:func:`scoring.lib.layout.find_table`);
    refuse a file with no readable table with a message for the user."""
    try:
        layout = find_table(read_sheets(content, filename), vocabulary, chosen)
    except LayoutError as error:
        raise SpreadsheetError(str(error)) from error
    dataset = tablib.Dataset(headers=layout.headers)
    width = len(layout.headers)
    for row in layout.rows:
        dataset.append([_clean_cell(value) for value in row] + [None] * (width - len(row)))
    return ReadTable(dataset, layout)


DAMAGED = _(
    "The file cannot be read: it may be damaged. Open it in Excel, save it again and "
    "upload that copy."
)


def _bounded(rows: Iterable[Sequence[Any]]) -> list[list[Any]]:
    """The rows up to the last one with data, read as a stream.

    Memory follows the data, not what the file declares: a sheet that claims a million
    rows of 16,384 columns but holds ten costs ten short rows. Blank rows inside the table
    are kept (as empty rows, so row numbers stay the file's); more than :data:`MAX_ROWS`
    rows with data is refused.
    """
    table: list[list[Any]] = []
    blanks = 0
    for row in rows:
        cells = list(row[:MAX_COLUMNS])
        while cells and _is_blank(cells[-1]):
            cells.pop()
        if not cells:
            blanks += 1
            continue
        if len(table) + blanks >= MAX_ROWS:
            raise SpreadsheetError(
                _("The file has more than %(rows)s rows: split it into smaller files.")
                % {"rows": f"{MAX_ROWS:,}".replace(",", ".")}
            )
        table.extend([] for _blank in range(blanks))
        blanks = 0
        table.append(cells)
    return table


def _read_xlsx(content: bytes) -> Iterator[tuple[str, list[list[Any]]]]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise SpreadsheetError(
            _("The file could not be read as an Excel workbook (.xlsx).")
        ) from error
    try:
        for sheet in book.worksheets:
            try:
                sheet.reset_dimensions()  # never trust the <dimension> the file declares
                rows = _bounded(sheet.iter_rows(values_only=True))
            except SpreadsheetError:
                raise
            except Exception as error:  # a bad shared string, truncated XML, text in a number
                raise SpreadsheetError(DAMAGED) from error
            yield sheet.title, rows
    finally:
        book.close()


def _read_csv(content: bytes) -> list[list[Any]]:
    # Excel writes UTF-8 with a byte-order mark, or the Windows Vietnamese code page.
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SpreadsheetError(_("The file could not be read as CSV text."))
    # Spaces and blank lines after the last cell are never data: dropped before parsing,
    # so a file padded with them costs nothing. The first line is sliced, not split off
    # (splitting would copy the rest of the file).
    text = text.rstrip()
    end = text.find("\n")
    first_line = text if end == -1 else text[:end]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        return _bounded(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise SpreadsheetError(_("The file could not be read as CSV text.")) from error


def _clean_cell(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    return value


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table_to_dataset(table: list[list[Any]]) -> tablib.Dataset:
    rows = [[_clean_cell(value) for value in row] for row in table]
    while rows and all(_is_blank(value) for value in rows[-1]):
        rows.pop()
    if not rows:
        raise SpreadsheetError(_("The file is empty."))
    header = [" ".join(str(value).split()) if value is not None else "" for value in rows[0]]
    keep = [index for index, name in enumerate(header) if name]
    headers = [header[index] for index in keep]
    repeated = sorted({name for name in headers if headers.count(name) > 1})
    if repeated:
        raise SpreadsheetError(
            _("These column headers appear more than once: %(columns)s.")
            % {"columns": ", ".join(repeated)}
        )
    dataset = tablib.Dataset(headers=headers)
    for row in rows[1:]:
        dataset.append([row[index] if index < len(row) else None for index in keep])
    return dataset


# A cell starting with one of these runs as a formula when the file is opened in a
# spreadsheet (OWASP, "CSV injection"); written files neutralise them with a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` safe to write into a spreadsheet cell: "=1+2" becomes "'=1+2"."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore(text: str) -> str:
    """Undo :func:`neutralise` on a cell read back, so a file exported then imported is
    unchanged."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def export_file(resource: SpreadsheetResource, kind: str) -> bytes:
    """Every row of ``resource`` as an XLSX or CSV file (UTF-8 with BOM, for Excel)."""
    dataset = resource.export()
    escaped = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        escaped.append([neutralise(value) for value in row])
    if kind == "csv":
        return escaped.export("csv").encode("utf-8-sig")
    return escaped.export("xlsx")


# Cell widgets ---------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as tidy text (:func:`scoring.lib.names.tidy`); whole numbers typed into
    Excel lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return restore(tidy(str(value)))


class TextWidget(widgets.Widget):
    """Plain text, trimmed."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        return cell_text(value)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


def check_year(day: datetime.date) -> datetime.date:
    """Refuse a date before 1900 or after 2100 (a typo such as 01/01/0202 or 2202).

    The rule is :func:`scoring.lib.months.validate_plausible_date`, as in the admin's
    forms; a widget reports a ``ValueError``.
    """
    try:
        validate_plausible_date(day)
    except ValidationError as error:
        raise ValueError(error.messages[0]) from None
    return day


DAY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")


class DateWidget(widgets.Widget):
    """A date as offices write it: a real XLSX date cell, or text dd/mm/yyyy (the
    Vietnamese convention; "1/3/2019", "01-03-2019" and "01.03.2019" too)."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> datetime.date | None:
        if isinstance(value, datetime.datetime):
            return check_year(value.date())
        if isinstance(value, datetime.date):
            return check_year(value)
        text = cell_text(value)
        if not text:
            return None
        match = DAY.fullmatch(text)
        if match is None:
            raise ValueError(
                _("“%(value)s” is not a date; write it as dd/mm/yyyy, e.g. 31/01/2025.")
                % {"value": text}
            )
        day, month, year = (int(part) for part in match.groups())
        try:
            found = datetime.date(year, month, day)
        except ValueError:
            if not 1 <= month <= 12 or not 1 <= day <= 31:
                raise ValueError(
                    _("“%(value)s” is not a date; write it as dd/mm/yyyy, e.g. 31/01/2025.")
                    % {"value": text}
                ) from None
            raise ValueError(
                _("There is no day %(value)s: month %(month)s has fewer days.")
                % {"value": text, "month": month}
            ) from None
        return check_year(found)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return day_text(value) if isinstance(value, datetime.date) else ""


class CodeWidget(widgets.Widget):
    """A reference to a row of ``model`` by its ``code``; an unknown code is refused.

    With ``as_code`` the cleaned value is the code itself (for values that are not model
    fields, such as a staff member's current unit), otherwise the model instance.
    """

    def __init__(self, model: type[models.Model], unknown: Any, as_code: bool = False):
        super().__init__()
        self.model = model
        self.unknown = unknown
        self.as_code = as_code

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        code = cell_text(value)
        if not code:
            return None
        # Each resource copies its fields, so what is remembered lasts one import; a miss
        # asks again, so a row defined earlier in the same file is found.
        found = self.__dict__.setdefault("found", {}).get(code)
        if found is None:
            found = self.model._default_manager.filter(code=code).first()
            if found is None:
                raise ValueError(self.unknown % {"code": code})
            self.found[code] = found
        return code if self.as_code else found

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        return value if isinstance(value, str) else value.code


# Resources ------------------------------------------------------------------------------


class HeaderError(Exception):
    """The header row lacks required columns; nothing in the file is imported."""


@dataclass(frozen=True)
class RowProblem:
    """One problem found in a file: its spreadsheet row (None for the whole file),
    the column header it concerns (None for the whole row) and a message for the user."""

    row: int | None
    column: str | None
    message: str

    def text(self) -> str:
        """The problem as the import page words it: "Dòng 11, cột “Mã cán bộ”: …"."""
        if self.row is None:
            return self.message
        if self.column is None:
            return f"{_('Row %(row)s:') % {'row': self.row}} {self.message}"
        where = _("Row %(row)s, column “%(column)s”:") % {"row": self.row, "column": self.column}
        return f"{where} {self.message}"


@dataclass(frozen=True)
class Proposal:
    """Something an import creates besides its rows (a new position named in a staff
    list), which the user confirms in the preview: its key, what it is, one yes/no choice
    about it, and the file row that first asks for it."""

    key: str
    label: str
    choice: bool
    row: int | None = None


class SpreadsheetResource(resources.ModelResource):
    """What units and staff share: required cells, duplicate codes, all-or-nothing.

    ``required_columns`` must be in the header row; ``required_cells`` must not be
    empty. A row whose cells are all empty is skipped.
    """

    required_columns: tuple[str, ...] = ()
    required_cells: tuple[str, ...] = ()
    clean_exclude: tuple[str, ...] = ()
    # The usual spellings of each column in offices' files, and the columns they keep
    # that the product does not store (listed as ignored, never an error).
    column_aliases: dict[str, tuple[str, ...]] = {}
    ignored_columns: tuple[str, ...] = COMMON_IGNORED
    duplicate_code = _("Code “%(code)s” appears more than once in the file (first on row %(row)s).")

    # Words of the preview for what :meth:`proposals` lists, when the import has any.
    # Whether rows are checked against unique fields: needless (a query per row) when
    # the only one is the code, since a known code loads its row and a repeated one is
    # refused on its row.
    validates_unique = True
    proposals_title: Any = ""
    proposal_choice: Any = ""

    def __init__(self, confirmed: dict[str, bool] | None = None, **kwargs: Any) -> None:
        """``confirmed``: the proposals the user confirmed (key → choice); None in a
        preview, which proposes and tries them all."""
        super().__init__(**kwargs)
        self.confirmed = confirmed
        self.code_rows: dict[str, int] = {}
        self.duplicate_of: dict[int, int] = {}
        self.row_numbers: list[int] | None = None  # each data row's row in the file
        self.progress: Callable[[int, int], None] | None = None

    @property
    def code_field(self) -> fields.Field:
        return self.fields[self._meta.import_id_fields[0]]

    @property
    def columns(self) -> list[str]:
        return [field.column_name for field in self.get_import_fields()]

    @classmethod
    def for_run(cls, target: Any, user: Any, confirmed: dict[str, bool] | None = None):
        """The resource for one run, from plain data a background worker can be given:
        the primary key of what the file is imported into (if anything), the user who
        asked, and the proposals they confirmed."""
        return cls(confirmed=confirmed)

    def proposals(self) -> list[Proposal]:
        """What this run creates besides its rows (see :class:`Proposal`)."""
        return []

    def outcome_extras(self) -> dict[str, Any]:
        """What the page needs to show of this run besides its rows (plain data)."""
        return {}

    def vocabulary(self) -> Vocabulary:
        """What :func:`read_table` needs to find this import's table in a file."""
        return Vocabulary(
            columns={column: self.column_aliases.get(column, ()) for column in self.columns},
            required=self.required_columns,
            key_column=self.code_field.column_name,
            ignored=self.ignored_columns,
        )

    def file_row(self, number: int) -> int:
        """The file's row number of the dataset's ``number``-th data row (1-based)."""
        if self.row_numbers is not None and 0 < number <= len(self.row_numbers):
            return self.row_numbers[number - 1]
        return number + HEADER_ROW

    def column_for(self, key: str) -> str | None:
        """The column header of the field saved to attribute ``key``."""
        for field in self.fields.values():
            if field.attribute in (key, f"{key}_id"):
                return field.column_name
        return None

    # The whole file -------------------------------------------------------------------

    def import_data(  # type: ignore[override]
        self,
        dataset: tablib.Dataset | ReadTable,
        dry_run: bool = False,
        raise_errors: bool = False,
        use_transactions: bool | None = None,
        collect_failed_rows: bool = False,
        rollback_on_validation_errors: bool = True,
        **kwargs: Any,
    ) -> Result:
        """Import ``dataset``; by default nothing is written when any row is invalid."""
        if isinstance(dataset, ReadTable):
            self.row_numbers, dataset = dataset.row_numbers, dataset.dataset
        self._match_headers(dataset)
        missing = [name for name in self.required_columns if name not in (dataset.headers or [])]
        if missing:
            return self._refuse_headers(dataset, missing, raise_errors)
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=use_transactions,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=rollback_on_validation_errors,
            **kwargs,
        )

    def _match_headers(self, dataset: tablib.Dataset) -> None:
        """Accept a known header whatever its letter case."""
        known = {name.casefold(): name for name in self.columns}
        headers = list(dataset.headers or [])
        matched = [known.get(str(name).casefold(), name) for name in headers]
        if matched != headers and len(set(matched)) == len(matched):
            dataset.headers = matched

    def _refuse_headers(self, dataset: tablib.Dataset, missing: list[str], raise_errors: bool):
        error = HeaderError(
            _(
                "The header row lacks these columns: %(columns)s. Name them in the file, "
                "or say which of the file's columns holds each."
            )
            % {"columns": ", ".join(f"“{name}”" for name in missing)}
        )
        result = self.get_result_class()()
        result.diff_headers = self.get_diff_headers()
        result.total_rows = len(dataset)
        result.append_base_error(self.get_error_result_class()(error))
        if raise_errors:
            raise exceptions.ImportError(error)
        return result

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        """Note each code's first row, so a repeated code can be refused on its row."""
        self.code_rows, self.duplicate_of = {}, {}
        self.rows_total = len(dataset)
        column = self.code_field.column_name
        if column not in (dataset.headers or []):
            return
        for index, value in enumerate(dataset[column], start=1):
            code = cell_text(value)
            if not code:
                continue
            if code in self.code_rows:
                self.duplicate_of[index] = self.code_rows[code]
            else:
                self.code_rows[code] = self.file_row(index)

    # One row --------------------------------------------------------------------------

    def import_row(self, row: dict, instance_loader: Any, **kwargs: Any) -> RowResult:
        if self.progress is not None:
            self.progress(kwargs.get("row_number", 0), self.rows_total)
        if all(_is_blank(row.get(column)) for column in self.columns):
            row_result = self.get_row_result_class()()
            row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            return row_result
        return super().import_row(row, instance_loader, **kwargs)

    def before_import_row(self, row: dict, **kwargs: Any) -> None:
        first = self.duplicate_of.get(kwargs.get("row_number", 0))
        if first is not None:
            code = cell_text(row.get(self.code_field.column_name))
            message = self.duplicate_code % {"code": code, "row": first}
            raise ValidationError({self.code_field.attribute: [message]})

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        column = field.column_name
        if column in self.required_cells and column in row and _is_blank(row[column]):
            raise ValueError(_("“%(column)s” must not be empty.") % {"column": column})
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        errors: dict[str, list] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        self.check_row(instance, errors)
        if errors:
            raise ValidationError(errors)

    def check_row(self, instance: models.Model, errors: dict[str, list]) -> None:
        """Cross-field checks; add messages to ``errors`` keyed by attribute."""

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            # Constraints are checked in check_row, with messages a user can act on.
            instance.full_clean(
                exclude=[*errors, *self.clean_exclude],
                validate_unique=validate_unique and self.validates_unique,
                validate_constraints=False,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        # A savepoint per row keeps PostgreSQL's transaction usable after a failed row.
        with transaction.atomic(using=self.get_db_connection_name()):
            super().save_instance(instance, is_create, row, **kwargs)

    def writes(self, kwargs: dict) -> bool:
        """Whether this run writes (a dry run without a transaction writes nothing)."""
        return self._is_using_transactions(kwargs) or not self._is_dry_run(kwargs)

    # Reporting ------------------------------------------------------------------------

    def problems(self, result: Result) -> list[RowProblem]:
        """Every problem of ``result``, by spreadsheet row."""
        found = [RowProblem(None, None, _error_text(error.error)) for error in result.base_errors]
        for invalid in result.invalid_rows:
            for key, messages in invalid.error_dict.items():
                column = None if key == NON_FIELD_ERRORS else self.column_for(key)
                found += [RowProblem(self.file_row(invalid.number), column, m) for m in messages]
        for error_row in result.error_rows:
            found += [
                RowProblem(self.file_row(error_row.number), None, _error_text(error.error))
                for error in error_row.errors
            ]
        return sorted(found, key=lambda problem: problem.row or 0)


def _error_text(error: BaseException) -> str:
    if isinstance(error, HeaderError):
        return str(error)
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return _("Unexpected error: %(error)s") % {"error": error}


def run_import(
    resource: SpreadsheetResource, dataset: tablib.Dataset | ReadTable, *, dry_run: bool
) -> Result:
    """Import ``dataset`` all or nothing; with ``dry_run`` it only reports what would change."""
    return resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        collect_failed_rows=True,
        rollback_on_validation_errors=True,
    )


def is_clean(result: Result) -> bool:
    """Whether the import met no problem at all (and so, when not a dry run, was written)."""
    return not (result.has_errors() or result.has_validation_errors())


def totals(result: Result) -> dict[str, int]:
    """Rows the import creates, updates, leaves unchanged, and refuses."""
    counted = result.totals
    return {
        "new": counted[RowResult.IMPORT_TYPE_NEW],
        "update": counted[RowResult.IMPORT_TYPE_UPDATE],
        "skip": counted[RowResult.IMPORT_TYPE_SKIP],
        "errors": counted[RowResult.IMPORT_TYPE_ERROR] + counted[RowResult.IMPORT_TYPE_INVALID],
    }
