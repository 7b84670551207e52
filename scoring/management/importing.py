"""The spreadsheet imports from the command line, for provinces that script adoption.

Each prints the same preview and problems the admin's import page shows, writes nothing
with ``--dry-run``, and exits 0 when the file is valid (and, without ``--dry-run``,
imported) and 1 when it is refused.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.lib.spreadsheets import (
    SpreadsheetError,
    SpreadsheetResource,
    is_clean,
    read_dataset,
    run_import,
    totals,
)


class ImportCommand(BaseCommand):
    resource_class: type[SpreadsheetResource]
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

    def handle(self, *args, file: str, dry_run: bool, **options) -> None:
        path = Path(file)
        try:
            dataset = read_dataset(path.read_bytes(), path.name)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from error
        except SpreadsheetError as error:
            raise CommandError(str(error)) from error
        resource = self.resource_class()
        result = run_import(resource, dataset, dry_run=True)
        self.report(resource, result)
        if not is_clean(result):
            raise CommandError(_("The file was refused: nothing was imported."))
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
            return
        resource = self.resource_class()
        result = run_import(resource, dataset, dry_run=False)
        if not is_clean(result):  # the data changed since the preview
            self.report(resource, result)
            raise CommandError(_("The file was refused: nothing was imported."))
        self.stdout.write(self.style.SUCCESS(_("Imported.")))

    def report(self, resource: SpreadsheetResource, result) -> None:
        self.stdout.write(
            _(
                "Rows to create: %(new)s; to update: %(update)s; unchanged: %(skip)s; "
                "refused: %(errors)s."
            )
            % totals(result)
        )
        for problem in resource.problems(result):
            self.stdout.write(self.style.ERROR(problem.text()))
