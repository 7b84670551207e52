"""Finding the table in a spreadsheet laid out as an office keeps it.

Offices keep their lists under a title block (the issuing body, the national motto, the
title, merged across columns), sometimes on a later sheet and not starting in column A,
with columns the product does not store (STT, date of birth, notes) beside the ones it
needs, spelled their own way, and with a total line and a signature block under the table.
:func:`find_table` reads such a sheet as it is:

- the header is the first row, within :data:`HEADER_SEARCH_ROWS`, that names enough of
  the known columns (:attr:`Vocabulary.enough`); the rows above it are the title block;
- each header cell is read as a column the import knows (its name or a usual spelling,
  whatever the case, spacing and diacritics), as a column chosen by hand (``chosen``,
  from the preview or remembered from an earlier file), as a column known but not stored
  (listed as ignored, never an error), or as unrecognised (listed, for mapping by hand);
- a row of column numbers under the header ("1 2 3…", "(1) (2)…") is not data;
- the table ends at a total line ("Tổng cộng…", "Cộng"), at a signature block's date line
  or its titles, or at the first blank row after which no row holds a code;
- every data row keeps its row number in the file, so problems name the office's rows.

Knows no model: each resource gives its :class:`Vocabulary`.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils.translation import gettext_lazy as _

from scoring.lib.names import fold, tidy

HEADER_SEARCH_ROWS = 30
IGNORE = ""  # a chosen mapping to this means "do not read the column"

# Columns an office list often has and the product never stores (every table).
COMMON_IGNORED = (
    "STT",
    "TT",
    "Số TT",
    "Số thứ tự",
    "Ngày sinh",
    "Ngày tháng năm sinh",
    "Năm sinh",
    "Giới tính",
    "Nam/Nữ",
    "Dân tộc",
    "Tôn giáo",
    "Quê quán",
    "Nơi ở",
    "Trình độ",
    "Trình độ chuyên môn",
    "Số điện thoại",
    "Điện thoại",
    "Email",
    "Ghi chú",
    "Chữ ký",
)

# The first words of a line that closes the table (matched with diacritics, so the
# surname Tống is never taken for "Tổng").
TOTAL_WORDS = ("tổng cộng", "tổng số", "tổng:", "tổng :", "cộng:", "cộng :")
TOTAL_LINES = ("tổng", "cộng", "tổng cộng")
SIGNATURE_DATE = re.compile(r"ngày\W.*tháng\W.*năm", re.IGNORECASE)
SIGNATURE_WORDS = ("nguoi lap", "lap bieu", "ky, ghi ro ho ten", "ky ghi ro ho ten", "(ky")
COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")


def header_key(text: Any) -> str:
    """A header as matched: folded, punctuation as spaces ("Loại (CB/CC/VC)" and
    "loai cb cc vc" match)."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(str(text or ""))).split())


def _short_key(text: Any) -> str:
    """The header without what it says in brackets ("Ngày sinh (dd/mm/yyyy)")."""
    return header_key(re.sub(r"\([^)]*\)", " ", str(text or "")))


@dataclass(frozen=True)
class Vocabulary:
    """What one import knows of columns: each column's usual spellings, the columns it
    needs, the one that holds the row's code, and those known but not stored."""

    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    key_column: str | None = None
    ignored: tuple[str, ...] = COMMON_IGNORED

    @property
    def enough(self) -> int:
        """How many known columns make a row the header: half of the required ones."""
        return max(1, math.ceil(len(self.required) / 2))

    @cached_property
    def _index(self) -> dict[str, tuple[str, str]]:
        index: dict[str, tuple[str, str]] = {}
        for name in self.ignored:
            index.setdefault(header_key(name), (IGNORE, "ignored"))
        for column, aliases in self.columns.items():
            for alias in aliases:
                index[header_key(alias)] = (column, "alias")
        for column in self.columns:
            index[header_key(column)] = (column, "known")
        return index

    def read(self, header: Any, chosen: dict[str, str]) -> tuple[str | None, str]:
        """``(column, how)`` for a header cell: how is known, alias, chosen, ignored or
        unknown; the column is None when the cell is not read."""
        key = header_key(header)
        if not key:
            return None, "blank"
        if key in chosen:
            column = chosen[key]
            return (column or None), ("chosen" if column else "ignored")
        index = self._index
        found = index.get(key) or index.get(_short_key(header))
        if found is None:
            return None, "unknown"
        column, how = found
        return (column or None), how


@dataclass(frozen=True)
class Column:
    """One header cell of the file and how it is read."""

    position: int  # 0-based, in the sheet
    header: str
    column: str | None  # the import's column it is read as, None when not read
    how: str  # known, alias, chosen, ignored or unknown

    @property
    def letter(self) -> str:
        return column_letter(self.position)

    @property
    def key(self) -> str:
        return header_key(self.header)


def column_letter(position: int) -> str:
    """Excel's name of a 0-based column: 0 → A, 27 → AB."""
    letters, number = "", position + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass
class Table:
    """A table found in a sheet: its columns, and its data rows with their file rows."""

    headers: list[str]
    rows: list[list[Any]]
    row_numbers: list[int]
    columns: list[Column]
    sheet: str | None = None
    header_row: int = 1
    left_out: list[int] = field(default_factory=list)  # rows under the table not read

    @property
    def ignored(self) -> list[Column]:
        return [column for column in self.columns if column.how == "ignored"]

    @property
    def unknown(self) -> list[Column]:
        return [column for column in self.columns if column.how == "unknown"]

    @property
    def layout_key(self) -> str:
        """The same for every file whose header row reads alike."""
        text = "|".join(column.key for column in self.columns)
        return hashlib.sha256(text.encode()).hexdigest()[:32]


class LayoutError(Exception):
    """The sheet holds no table the import can read; the message is for the user."""


def _text(value: Any) -> str:
    return tidy(str(value)) if value is not None else ""


def _cells(row: Sequence[Any]) -> list[str]:
    return [text for text in (_text(value) for value in row) if text]


def find_header(
    sheets: Iterable[tuple[str | None, list[list[Any]]]],
    vocabulary: Vocabulary,
    chosen: dict[str, str] | None = None,
) -> tuple[str | None, list[list[Any]], int]:
    """The first sheet and row (0-based) within :data:`HEADER_SEARCH_ROWS` that names
    enough known columns, with that sheet's rows; failing that, the row naming the most
    (so the user can say how to read the others)."""
    chosen = chosen or {}
    best: tuple[int, str | None, list[list[Any]], int] | None = None
    for name, rows in sheets:
        for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            read = [vocabulary.read(value, chosen)[0] for value in row if _text(value)]
            known = len({column for column in read if column})
            if known >= vocabulary.enough:
                return name, rows, index
            if known and (best is None or known > best[0]):
                best = (known, name, rows, index)
    if best is not None:
        return best[1], best[2], best[3]
    raise LayoutError(
        _(
            "No row among the first %(rows)s of any sheet holds the column headers. "
            "The table needs columns such as %(columns)s."
        )
        % {
            "rows": HEADER_SEARCH_ROWS,
            "columns": ", ".join(f"“{column}”" for column in vocabulary.required),
        }
    )


def find_table(
    sheets: Iterable[tuple[str | None, list[list[Any]]]],
    vocabulary: Vocabulary,
    chosen: dict[str, str] | None = None,
) -> Table:
    """The table of the first sheet that has one, read as :data:`__doc__` says.

    ``chosen`` maps a header's :func:`header_key` to a column (or to :data:`IGNORE`), as
    the user chose it; it wins over every other reading.
    """
    chosen = chosen or {}
    name, rows, header_index = find_header(sheets, vocabulary, chosen)
    columns = [
        Column(position, _text(value), *vocabulary.read(value, chosen))
        for position, value in enumerate(rows[header_index])
        if _text(value)
    ]
    columns = _one_cell_per_column(columns)
    read = [column for column in columns if column.column]
    start = header_index + 1
    if start < len(rows) and _is_column_numbers(rows[start]):
        start += 1
    end, left_out = _table_end(rows, start, columns, vocabulary)
    table_rows, numbers = [], []
    for index in range(start, end):
        row = rows[index]
        table_rows.append([row[c.position] if c.position < len(row) else None for c in read])
        numbers.append(index + 1)
    return Table(
        headers=[column.column for column in read],
        rows=table_rows,
        row_numbers=numbers,
        columns=columns,
        sheet=name,
        header_row=header_index + 1,
        left_out=left_out,
    )


RANK = {"chosen": 0, "known": 1, "alias": 2}


def _one_cell_per_column(columns: list[Column]) -> list[Column]:
    """Each column read from one cell: the user's choice, else its own name, else a
    spelling; a second cell of the same rank is an error the user must settle."""
    best: dict[str, Column] = {}
    for column in columns:
        if not column.column:
            continue
        other = best.get(column.column)
        if other is None or RANK[column.how] < RANK[other.how]:
            best[column.column] = column
        elif RANK[column.how] == RANK[other.how]:
            raise LayoutError(
                _(
                    "Columns %(first)s (“%(first_header)s”) and %(second)s "
                    "(“%(second_header)s”) both hold “%(column)s”: choose which one to "
                    "read, or rename one of them in the file."
                )
                % {
                    "first": other.letter,
                    "first_header": other.header,
                    "second": column.letter,
                    "second_header": column.header,
                    "column": column.column,
                }
            )
    kept = {id(column) for column in best.values()}
    return [
        column
        if not column.column or id(column) in kept
        else Column(column.position, column.header, None, "ignored")
        for column in columns
    ]


def _is_column_numbers(row: Sequence[Any]) -> bool:
    """A row numbering the columns under the header: 1, 2, 3… or (1), (2)…"""
    cells = _cells(row)
    if len(cells) < 2 or not all(COLUMN_NUMBER.match(cell) for cell in cells):
        return False
    numbers = [int(cell.strip("()")) for cell in cells]
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _closes_table(row: Sequence[Any]) -> bool:
    """A total line, or the date line or titles of a signature block."""
    cells = _cells(row)
    if not cells:
        return False
    first = cells[0].casefold()
    if first in TOTAL_LINES or first.startswith(TOTAL_WORDS):
        return True
    text = " ".join(cells)
    folded = fold(text)
    return bool(SIGNATURE_DATE.search(text)) or any(word in folded for word in SIGNATURE_WORDS)


def _table_end(
    rows: list[list[Any]], start: int, columns: list[Column], vocabulary: Vocabulary
) -> tuple[int, list[int]]:
    """Where the table stops (exclusive), and the rows under it that hold something."""
    key = next((c.position for c in columns if c.column == vocabulary.key_column), None)

    def has_key(row: Sequence[Any]) -> bool:
        return key is not None and key < len(row) and bool(_text(row[key]))

    end = len(rows)
    for index in range(start, len(rows)):
        row = rows[index]
        if not has_key(row) and _closes_table(row):
            end = index
            break
    if key is not None:
        # After a blank row, rows without a code to the end are a note or a signature.
        last_key = max((i for i in range(start, end) if has_key(rows[i])), default=None)
        if last_key is not None:
            for index in range(last_key + 1, end):
                if not _cells(rows[index]):
                    end = index
                    break
    left_out = [index + 1 for index in range(end, len(rows)) if _cells(rows[index])]
    return end, left_out
