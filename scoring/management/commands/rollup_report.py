"""``manage.py rollup_report UNIT_CODE YEAR [--quarter N] --output FILE [--format xlsx|csv]``:
a unit's year (or quarter) results as the document its office signs, byte for byte the
file the admin's *Quarters and year by unit* page downloads for the same data."""

from __future__ import annotations

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.lib.documents import Document
from scoring.management.documents import DocumentCommand
from scoring.organisation.models import Unit
from scoring.rollup.documents import report_document


class Command(DocumentCommand):
    summary = gettext_lazy(
        "A unit's year or quarter results (classification) as an XLSX or CSV document."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("unit", metavar="UNIT_CODE", help=gettext_lazy("The unit's code."))
        parser.add_argument("year", type=int, metavar="YEAR", help=gettext_lazy("The year."))
        parser.add_argument(
            "--quarter",
            type=int,
            choices=(1, 2, 3, 4),
            help=gettext_lazy("One quarter (1 to 4) instead of the whole year."),
        )
        super().add_arguments(parser)

    def document(self, unit: str, year: int, quarter: int | None = None, **options) -> Document:
        found = Unit.objects.filter(code=unit).first()
        if found is None:
            raise CommandError(_("No unit has the code %(code)s.") % {"code": unit})
        if not 1900 <= year <= 2100:
            raise CommandError(_("Choose a year between 1900 and 2100."))
        return report_document(found, year, quarter)
