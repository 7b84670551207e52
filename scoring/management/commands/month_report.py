"""``manage.py month_report UNIT_CODE YYYY-MM --output FILE [--format xlsx|csv]``: a unit's
month report as the document it signs, byte for byte the file the admin's *Unit month
report* page downloads for the same data."""

from __future__ import annotations

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.lib.documents import Document
from scoring.management import arguments
from scoring.management.documents import DocumentCommand
from scoring.organisation.models import Unit
from scoring.oversight.month_report import month_document, month_report


class Command(DocumentCommand):
    summary = gettext_lazy("A unit's month report (every sheet, the counts per level, the mean).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("unit", metavar="UNIT_CODE", help=gettext_lazy("The unit's code."))
        parser.add_argument("month", metavar="YYYY-MM", help=gettext_lazy("The month."))
        super().add_arguments(parser)

    def document(self, unit: str, month: str, **options) -> Document:
        found = Unit.objects.filter(code=unit).first()
        if found is None:
            raise CommandError(_("No unit has the code %(code)s.") % {"code": unit})
        return month_document(month_report(found, arguments.period(month)))
