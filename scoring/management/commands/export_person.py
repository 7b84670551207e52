"""``manage.py export_person STAFF_CODE [--output FILE]``: everything stored about one
staff member as JSON (a subject-access request; :mod:`scoring.privacy.personal_data`),
the same file the office downloads from the person's admin page. The export is logged."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.management.arguments import TranslatedCommand
from scoring.organisation.models import Staff
from scoring.privacy.personal_data import export_person


class Command(TranslatedCommand):
    summary = gettext_lazy(
        "Everything stored about one staff member (record, posts, sheets, contests, "
        "login, sign-ins, audit log) as JSON, to a file or the standard output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", metavar="STAFF_CODE", help=gettext_lazy("The staff code."))
        parser.add_argument(
            "--output", metavar="FILE", help=gettext_lazy("The file to write (default: stdout).")
        )

    def handle(self, *args, code: str, output: str | None, **options) -> None:
        staff = Staff.objects.filter(code=code.strip()).first()
        if staff is None:
            raise CommandError(_("No staff member has the code %(code)s.") % {"code": code})
        content = export_person(staff)
        if output is None:
            self.stdout.write(content.decode())
            return
        try:
            Path(output).write_bytes(content)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": output, "error": error.strerror}
            ) from error
        self.stdout.write(self.style.SUCCESS(_("Wrote %(file)s.") % {"file": output}))
