"""``manage.py import_units FILE [--dry-run]``: the units spreadsheet, all or nothing."""

from django.utils.translation import gettext_lazy

from scoring.management.importing import ImportCommand
from scoring.organisation.resources import UnitResource


class Command(ImportCommand):
    resource_class = UnitResource
    table = "units"
    summary = gettext_lazy("Import units from a spreadsheet (parents before children).")
