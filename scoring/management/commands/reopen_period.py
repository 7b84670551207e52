"""``manage.py reopen_period YYYY-MM --reason TEXT``: the office reopens a locked month."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.cycle import closing
from scoring.management import arguments


class Command(arguments.MonthCommand):
    summary = gettext_lazy(
        "Reopen a locked month, saying why: it goes back to evaluation and the reason is "
        "recorded in the audit log. The units keep their submitted reports until the "
        "office reopens each one that has to change."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--reason", required=True, help=gettext_lazy("Why the month is reopened.")
        )

    def handle(self, *args, month: str, reason: str, **options) -> None:
        period = arguments.period(month)
        try:
            period = closing.reopen_month(period, None, reason)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Month %(period)s reopened: it is back at “%(state)s”.")
                % {"period": period, "state": period.get_state_display()}
            )
        )
