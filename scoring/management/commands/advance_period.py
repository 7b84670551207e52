"""``manage.py advance_period YYYY-MM STATE``: move a month forward (never back)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.cycle import periods
from scoring.management import arguments
from scoring.models import Period


class Command(arguments.MonthCommand):
    summary = gettext_lazy(
        "Move a month forward to a state: self_scoring, evaluation or closed (closing "
        "computes and freezes every sheet). Running it again for the same state changes "
        "nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("state", choices=[state.value for state in Period.State])
        parser.add_argument(
            "--exception",
            default="",
            help=gettext_lazy(
                "When closing: why the month is locked although some units have not "
                "submitted their reports (recorded with their names)."
            ),
        )

    def handle(self, *args, month: str, state: str, exception: str = "", **options) -> None:
        period = arguments.period(month)
        if period.state == state:
            self.stdout.write(
                _("Month %(period)s is already at “%(state)s”.")
                % {"period": period, "state": period.get_state_display()}
            )
            return
        if period.is_closed:
            raise CommandError(
                _("Month %(period)s is closed: it cannot move.") % {"period": period}
            )
        try:
            period = periods.advance_period(period, state, exception=exception)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Month %(period)s is now at “%(state)s”.")
                % {"period": period, "state": period.get_state_display()}
            )
        )
