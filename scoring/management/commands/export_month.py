"""``manage.py export_month YYYY-MM --output-dir DIR``: every export of a month into one
folder (the locality report, each unit's report, the open data once released), each
named on a line with its sha256, as ``sha256sum`` prints it. The restore drill runs it
against a database and its restored copy and compares the two folders."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.management import arguments
from scoring.management.month_exports import fingerprint, month_exports


class Command(arguments.MonthCommand):
    summary = gettext_lazy(
        "Write every export of a month (the locality's and each unit's report as XLSX and "
        "CSV, the open data of a released month) into a folder, with their sha256."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--output-dir", required=True, metavar="DIR", help=gettext_lazy("The folder to fill.")
        )

    def handle(self, *args, month: str, output_dir: str, **options) -> None:
        period = arguments.period(month)
        folder = Path(output_dir)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for name, content in month_exports(period).items():
                (folder / name).write_bytes(content)
                self.stdout.write(f"{fingerprint(content)}  {name}")
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s")
                % {"file": output_dir, "error": error.strerror}
            ) from error
