"""``manage.py seed_demo [--staff N]``: build the demo locality and print its logins."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from scoring.demo import history, locality, month, ratings


class Command(BaseCommand):
    help = (
        "Build the demo locality (Quản Bạ district, Hà Giang): units, positions, evaluator "
        "rules, staff and one login per role, and open the current month. Safe to run "
        "again; a bigger --staff adds only the missing people."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--staff",
            type=int,
            default=locality.DEFAULT_STAFF,
            help="How many people the locality has (default %(default)s).",
        )

        parser.add_argument(
            "--no-month",
            action="store_true",
            help="Do not open the current month with work in progress.",
        )

    def handle(self, *args, staff: int, no_month: bool = False, **options) -> None:
        try:
            result = locality.seed_demo(staff=staff)
        except ValueError as error:
            raise CommandError(str(error)) from error
        ratings.ensure_demo_desks()
        for period in [] if no_month else history.play_demo_history():
            self.stdout.write(
                _("Month %(period)s played through (%(state)s).")
                % {"period": period, "state": period.get_state_display()}
            )
        if not no_month and (period := month.open_demo_month()):
            self.stdout.write(
                _("Month %(period)s opened with work in progress.") % {"period": period}
            )
        self.stdout.write(
            _("Units created: %(units)d. Staff created: %(created)d (now %(total)d).")
            % {
                "units": result.units_created,
                "created": result.staff_created,
                "total": result.staff_total,
            }
        )
        self._write_logins(result.logins)

    def _write_logins(self, logins: list[locality.DemoLogin]) -> None:
        header = (_("Username"), _("Role"), _("Staff member"), _("Password"))
        rows = [header] + [(x.username, x.role, x.person, x.password) for x in logins]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        self.stdout.write(self.style.SUCCESS(_("Demo logins:")))
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, row[3]]))
