"""``manage.py restore_drill [--month YYYY-MM] [--from-dump FILE] [--keep]``: the backup
restore drill (README, "Backups"). Exits non-zero when anything differs."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.management.arguments import TranslatedCommand
from scoring.management.drill import DrillError, DrillReport, drill


class Command(TranslatedCommand):
    summary = gettext_lazy(
        "Dump the database (pg_dump -Fc), restore it into a new database, and check that "
        "every table has as many rows and every export of a locked month is byte for byte "
        "the same; the new database is dropped unless --keep."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--month", metavar="YYYY-MM", help=gettext_lazy("A locked month (default: the latest).")
        )
        parser.add_argument(
            "--from-dump",
            metavar="FILE",
            help=gettext_lazy("Restore this pg_dump -Fc file (e.g. last night's backup)."),
        )
        parser.add_argument(
            "--keep", action="store_true", help=gettext_lazy("Keep the restored database.")
        )

    def handle(self, *args, month: str | None, from_dump: str | None, keep: bool, **options):
        dump = Path(from_dump) if from_dump else None
        if dump is not None and not dump.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": from_dump})
        try:
            report = drill(month, keep=keep, from_dump=dump)
        except DrillError as error:
            raise CommandError(str(error)) from error
        self.write(report, keep)
        if not report.ok:
            raise CommandError(_("The restored database differs from the original."))
        self.stdout.write(self.style.SUCCESS(_("Restore drill passed.")))

    def write(self, report: DrillReport, keep: bool) -> None:
        out = self.stdout.write
        out(_("Original database: %(name)s") % {"name": report.original})
        out(_("Restored into: %(name)s") % {"name": report.restored})
        out(_("Dump size: %(size)d bytes") % {"size": report.dump_bytes})
        if report.tables:
            counts = {"tables": report.tables, "rows": report.rows}
            out(_("Tables: %(tables)d, rows: %(rows)d") % counts)
        for table, original, restored in report.row_differences:
            out(
                _("Rows differ in %(table)s: %(original)s, restored %(restored)s")
                % {"table": table, "original": original, "restored": restored}
            )
        out(
            _("Exports of %(month)s: %(count)d files")
            % {"month": report.month, "count": len(report.exports)}
        )
        for name, digest in report.exports.items():
            out(f"  {digest}  {name}")
        for difference in report.differences:
            out(
                _("Differs: %(name)s (original %(original)s, restored %(restored)s)")
                % {
                    "name": difference.name,
                    "original": difference.original or "—",
                    "restored": difference.restored or "—",
                }
            )
        if keep:
            out(_("The restored database is kept: %(name)s") % {"name": report.restored})
