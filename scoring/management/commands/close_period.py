"""``manage.py close_period YYYY-MM [--exception TEXT]``: lock a month (khóa sổ)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.cycle import periods
from scoring.management import arguments


class Command(arguments.MonthCommand):
    summary = gettext_lazy(
        "Lock a month (khóa sổ): compute and freeze every sheet; nothing in it can change "
        "afterwards unless the office reopens it with a reason. Every unit must have "
        "submitted its report, or --exception must say why the month is locked without "
        "them. Locking a locked month changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--exception",
            default="",
            help=gettext_lazy(
                "Why the month is locked although some units have not submitted their "
                "reports (recorded with their names)."
            ),
        )

    def handle(self, *args, month: str, exception: str = "", **options) -> None:
        period = arguments.period(month)
        if period.is_closed:
            self.stdout.write(_("Month %(period)s is already closed.") % {"period": period})
            return
        try:
            period = periods.close_period(period, exception=exception)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Month %(period)s closed: %(count)d sheets computed and frozen.")
                % {"period": period, "count": period.evaluations.count()}
            )
        )
