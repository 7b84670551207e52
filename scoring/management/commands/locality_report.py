"""``manage.py locality_report YYYY-MM --output FILE [--format xlsx|csv]``: every unit's
month side by side, byte for byte the file the admin's *Locality month report* page
downloads for the same data (the office's view: every unit)."""

from __future__ import annotations

from django.core.management.base import CommandParser
from django.utils.translation import gettext_lazy

from scoring.lib.documents import Document
from scoring.management import arguments
from scoring.management.documents import DocumentCommand
from scoring.oversight.locality import locality_document, locality_report


class Command(DocumentCommand):
    summary = gettext_lazy(
        "The locality's month report: every unit's counts per level, mean and submission."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("month", metavar="YYYY-MM", help=gettext_lazy("The month."))
        super().add_arguments(parser)

    def document(self, month: str, **options) -> Document:
        return locality_document(locality_report(arguments.period(month)))
