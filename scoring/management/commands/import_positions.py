"""``manage.py import_positions FILE [--dry-run]``: the positions spreadsheet."""

from django.utils.translation import gettext_lazy

from scoring.management.importing import ImportCommand
from scoring.organisation.resources import PositionResource


class Command(ImportCommand):
    resource_class = PositionResource
    table = "positions"
    summary = gettext_lazy("Import positions (post titles) from a spreadsheet.")
