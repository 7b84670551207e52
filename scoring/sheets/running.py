"""Running a spreadsheet import, in a request or in a background worker.

An import is two runs of the same stored file: a preview (a dry run: what each row will
do, every problem by the file's row, what it proposes to create) and, once the user
confirms, the import itself. The file waits in the default file storage (object storage
in production, so any app server or worker can read it) under a random name that only a
signed, expiring token names; the token is bound to the user and to the table, and
carries what the user chose about the file (how to read its columns, which proposals to
create). Previews that are never confirmed leave their file behind until ``prune_jobs``
sweeps it away.
"""

from __future__ import annotations

import datetime
import os
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core import signing
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from import_export.results import Result, RowResult
from import_export.tmp_storages import MediaStorage

from scoring.lib.layout import Table
from scoring.lib.spreadsheets import (
    RowProblem,
    SpreadsheetError,
    SpreadsheetResource,
    is_clean,
    read_table,
    run_import,
    totals,
)

UPLOAD_FOLDER = "scoring-imports"
TOKEN_SALT = "scoring.admin.imports"
TOKEN_MAX_AGE = 6 * 60 * 60  # seconds a preview can wait for its confirmation
STALE_MESSAGE = _("This preview has expired or was already imported; upload the file again.")
PREVIEW_LIMIT = 500  # rows shown in the preview table; the counts cover them all

# Rows with problems first, then changes, then the unchanged ones.
ACTION_ORDER = {"invalid": 0, "error": 0, "new": 1, "update": 1, "skip": 2}


class StaleUpload(Exception):
    """The confirmed preview's file is gone, expired, or belongs to someone else."""


def _storage(name: str | None = None) -> MediaStorage:
    return MediaStorage(name=name, MEDIA_FOLDER=UPLOAD_FOLDER)


@dataclass
class Upload:
    """A stored upload waiting for its confirmation, and what the user chose about it:
    how to read its columns, and which proposals (new positions…) to create."""

    name: str  # in the storage
    file: str  # as the user named it
    sheet: str
    user: int
    chosen: dict[str, str] = field(default_factory=dict)
    proposals: list[str] = field(default_factory=list)

    def token(self) -> str:
        return signing.dumps(asdict(self), salt=TOKEN_SALT, compress=True)

    def content(self) -> bytes:
        try:
            return _storage(self.name).read()
        except (FileNotFoundError, OSError) as error:
            raise StaleUpload from error

    def remove(self) -> None:
        _storage(self.name).remove()


def stash_upload(content: bytes, filename: str, sheet: str, user: Any) -> Upload:
    """Store an uploaded file until its import is confirmed."""
    storage = _storage(uuid.uuid4().hex)
    storage.save(content)
    return Upload(storage.name, os.path.basename(filename), sheet, user.pk)


def load_upload(token: str, sheet: str, user: Any) -> Upload:
    """The stored upload a token names, if it is this user's, for this table, and fresh."""
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        upload = Upload(**payload)
    except (signing.BadSignature, TypeError) as error:
        raise StaleUpload from error
    if upload.sheet != sheet or upload.user != user.pk:
        raise StaleUpload
    return upload


# Running an import ------------------------------------------------------------------------


def run_sheet(
    resource: SpreadsheetResource,
    content: bytes,
    filename: str,
    chosen: dict[str, str],
    *,
    dry_run: bool,
) -> dict[str, Any]:
    """Read an office's file and import it (or preview it), all or nothing.

    Returns the outcome as the import page and the command show it, in plain data: how
    the file was read, the totals, every problem by the file's row, the preview rows and
    what the import proposes to create.
    """
    outcome: dict[str, Any] = {"filename": os.path.basename(filename), "chosen": chosen}
    try:
        table = read_table(content, filename, resource.vocabulary(), chosen)
    except SpreadsheetError as error:
        return {**outcome, "file_error": str(error), "clean": False}
    result = run_import(resource, table, dry_run=dry_run)
    problems = resource.problems(result)
    rows = preview_rows(result, table.dataset, problems, resource)
    return {
        **outcome,
        "file_error": None,
        "clean": is_clean(result),
        "layout": layout_outcome(table.layout),
        "problems": [asdict(problem) for problem in problems],
        "headers": list(result.diff_headers),
        "rows": [asdict(row) for row in rows[:PREVIEW_LIMIT]],
        "hidden_rows": max(len(rows) - PREVIEW_LIMIT, 0),
        "totals": totals(result),
        "proposals": [asdict(proposal) for proposal in resource.proposals()],
    }


def layout_outcome(layout: Table) -> dict[str, Any]:
    return {
        "sheet": layout.sheet,
        "header_row": layout.header_row,
        "first_row": layout.row_numbers[0] if layout.row_numbers else None,
        "last_row": layout.row_numbers[-1] if layout.row_numbers else None,
        "left_out": layout.left_out,
        "columns": [
            {
                "position": column.position,
                "letter": column.letter,
                "header": column.header,
                "key": column.key,
                "column": column.column,
                "how": column.how,
            }
            for column in layout.columns
        ],
    }


# Preview ------------------------------------------------------------------------------


@dataclass
class PreviewRow:
    number: int
    action: str
    cells: list[str]
    problems: list[str]


def preview_rows(
    result: Result, dataset: Any, problems: list[RowProblem], resource: SpreadsheetResource
) -> list[PreviewRow]:
    """The preview table: one line per data row, problem rows first, then changes."""
    by_row: dict[int, list[str]] = {}
    for problem in problems:
        if problem.row is not None:
            by_row.setdefault(problem.row, []).append(problem.message)
    values = dataset.dict
    lines = []
    # report_skipped is on, so result.rows holds one result per data row, in file order.
    for index, row_result in enumerate(result.rows):
        number = resource.file_row(index + 1)
        if row_result.diff:
            cells = [str(cell) for cell in row_result.diff]  # HTML, its text escaped
        else:
            row = values[index] if index < len(values) else {}
            cells = [escape(_shown(row.get(header))) for header in result.diff_headers]
        action = row_result.import_type or RowResult.IMPORT_TYPE_SKIP
        lines.append(PreviewRow(number, action, cells, by_row.get(number, [])))
    lines.sort(key=lambda line: (ACTION_ORDER.get(line.action, 3), line.number))
    return lines


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def sweep_uploads(before: datetime.datetime) -> int:
    """Delete the stored uploads older than ``before`` (their tokens have expired)."""
    from django.core.files.storage import default_storage

    try:
        _folders, names = default_storage.listdir(UPLOAD_FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return 0
    swept = 0
    for name in names:
        path = f"{UPLOAD_FOLDER}/{name}"
        if default_storage.get_modified_time(path) < before:
            default_storage.delete(path)
            swept += 1
    return swept
