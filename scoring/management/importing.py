"""The spreadsheet imports from the command line, for provinces that script adoption.

Each reads the office's file as the admin's import page does (the table under its title
block, the usual spellings of the columns, the columns remembered from earlier files,
and ``--column "HEADER=COLUMN"`` for the others), prints the same reading, preview and
problems, writes nothing with ``--dry-run``, and exits 0 when the file is valid (and,
without ``--dry-run``, imported) and 1 when it is refused. New positions a staff list
names are created as the preview proposes them (change them in the admin afterwards).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.lib.layout import header_key
from scoring.lib.spreadsheets import RowProblem, SpreadsheetResource
from scoring.sheets.models import remember, remembered
from scoring.sheets.running import run_sheet


class ImportCommand(BaseCommand):
    resource_class: type[SpreadsheetResource]
    table: str  # the slug of the table's Sheet, under which column choices are remembered
    summary: Promise

    @property
    def help(self) -> str:
        return str(self.summary)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=gettext_lazy("An .xlsx or .csv file."))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Show what the import would do; write nothing."),
        )
        parser.add_argument(
            "--column",
            action="append",
            default=[],
            metavar="HEADER=COLUMN",
            help=gettext_lazy(
                "Read the file's column HEADER as the import's COLUMN (empty: do not read "
                "it); remembered for the next file. May be repeated."
            ),
        )

    def handle(self, *args, file: str, dry_run: bool, column: list[str], **options) -> None:
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from error
        given = self.given_columns(column)
        chosen = {**remembered(self.table), **given}
        outcome = run_sheet(self.resource_class(), content, path.name, chosen, dry_run=True)
        self.report(outcome)
        if not outcome["clean"]:
            raise CommandError(_("The file was refused: nothing was imported."))
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
            return
        confirmed = {proposal["key"]: proposal["choice"] for proposal in outcome["proposals"]}
        resource = self.resource_class(confirmed=confirmed)
        outcome = run_sheet(resource, content, path.name, chosen, dry_run=False)
        if not outcome["clean"]:  # the data changed since the preview
            self.report(outcome)
            raise CommandError(_("The file was refused: nothing was imported."))
        remember(self.table, given, set(), None)
        self.stdout.write(self.style.SUCCESS(_("Imported.")))

    def given_columns(self, given: list[str]) -> dict[str, str]:
        columns = self.resource_class().columns
        chosen = {}
        for pair in given:
            header, equals, column = pair.partition("=")
            column = column.strip()
            if not equals or not header.strip() or (column and column not in columns):
                raise CommandError(
                    _("Write --column as “HEADER=COLUMN”, COLUMN one of: %(columns)s.")
                    % {"columns": ", ".join(columns)}
                )
            chosen[header_key(header)] = column
        return chosen

    def report(self, outcome: dict[str, Any]) -> None:
        if outcome["file_error"]:
            self.stdout.write(self.style.ERROR(outcome["file_error"]))
            return
        self.write_layout(outcome["layout"])
        self.stdout.write(
            _(
                "Rows to create: %(new)s; to update: %(update)s; unchanged: %(skip)s; "
                "refused: %(errors)s."
            )
            % outcome["totals"]
        )
        for proposal in outcome["proposals"]:
            self.stdout.write(
                _("%(title)s: %(name)s (%(code)s), %(choice)s: %(value)s, first on row %(row)s.")
                % {
                    "title": self.resource_class.proposals_title,
                    "name": proposal["label"],
                    "code": proposal["key"],
                    "choice": self.resource_class.proposal_choice,
                    "value": _("yes") if proposal["choice"] else _("no"),
                    "row": proposal["row"],
                }
            )
        for problem in outcome["problems"]:
            self.stdout.write(self.style.ERROR(problem_text(problem)))

    def write_layout(self, layout: dict[str, Any]) -> None:
        where = _("Column headers on row %(row)s") % {"row": layout["header_row"]}
        if layout["sheet"]:
            where = _("Sheet “%(sheet)s”, column headers on row %(row)s") % {
                "sheet": layout["sheet"],
                "row": layout["header_row"],
            }
        if layout["first_row"]:
            where += _("; the table runs from row %(first)s to row %(last)s") % {
                "first": layout["first_row"],
                "last": layout["last_row"],
            }
        self.stdout.write(where + ".")
        unread = [
            f"{column['letter']} “{column['header']}”"
            + (f" ({_('not recognised')})" if column["how"] == "unknown" else "")
            for column in layout["columns"]
            if not column["column"]
        ]
        if unread:
            self.stdout.write(_("Not read: %(columns)s.") % {"columns": "; ".join(unread)})
        if layout["left_out"]:
            self.stdout.write(
                _("Left out below the table: rows %(rows)s.")
                % {"rows": ", ".join(map(str, layout["left_out"]))}
            )


def problem_text(problem: dict[str, Any]) -> str:
    """A problem as the import page words it: "Dòng 11, cột “Mã cán bộ”: …"."""
    return RowProblem(**problem).text()
