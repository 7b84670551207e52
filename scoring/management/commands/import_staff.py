"""``manage.py import_staff FILE [--dry-run]``: the staff spreadsheet, all or nothing."""

from django.utils.translation import gettext_lazy

from scoring.management.importing import ImportCommand
from scoring.organisation.resources import StaffResource


class Command(ImportCommand):
    resource_class = StaffResource
    table = "staff"
    summary = gettext_lazy("Import staff and their posts from a spreadsheet.")
