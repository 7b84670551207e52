"""The base of the commands that write a report to a file, as the admin serves it.

A report command gives its :class:`~scoring.lib.documents.Document` (``document``, from
its own arguments) and inherits ``--output FILE`` and ``--format xlsx|csv`` (by default
read from the file's extension)::

    class Command(DocumentCommand):
        summary = gettext_lazy("The month results of a unit as an XLSX or CSV file.")

        def add_arguments(self, parser):
            super().add_arguments(parser)
            parser.add_argument("month", help=...)

        def document(self, month, **options):
            return unit_month_document(arguments.month(month))

The file holds the very bytes the admin's download gives for the same data: both call
:func:`scoring.lib.documents.write_file`, which never writes the current time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.lib.documents import FORMATS, Document, write_file
from scoring.management.arguments import TranslatedCommand


class DocumentCommand(TranslatedCommand):
    """``manage.py <report> … --output FILE [--format xlsx|csv]``."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", required=True, metavar="FILE", help=gettext_lazy("The file to write.")
        )
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help=gettext_lazy("xlsx or csv; by default read from the file's extension."),
        )

    def document(self, **options: Any) -> Document:
        """The report to write, from the command's own arguments."""
        raise NotImplementedError

    def handle(self, *args: Any, output: str, format: str | None, **options: Any) -> None:
        path = Path(output)
        kind = format or self.format_of(path)
        content = write_file(self.document(**options), kind)
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": output, "error": error.strerror}
            ) from error
        self.stdout.write(self.style.SUCCESS(_("Wrote %(file)s.") % {"file": output}))

    def format_of(self, path: Path) -> str:
        kind = path.suffix.lower().lstrip(".")
        if kind not in FORMATS:
            raise CommandError(_("Name the file .xlsx or .csv, or choose --format."))
        return kind
