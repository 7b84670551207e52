"""``manage.py open_period YYYY-MM [--plan-deadline …]``: open a month (safe to run again)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.calendar.models import Period
from scoring.cycle import periods
from scoring.management import arguments
from scoring.organisation.staff import names_of

DEADLINE_OPTIONS = {
    "plan_deadline": "--plan-deadline",
    "self_deadline": "--self-deadline",
    "evaluation_deadline": "--evaluation-deadline",
}
NAMES_SHOWN = 20


class Command(arguments.MonthCommand):
    summary = gettext_lazy(
        "Open a month: one evaluation sheet per active person, with the criteria set and "
        "the evaluator that apply. Safe to run again: only people without a sheet get one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        for option in DEADLINE_OPTIONS.values():
            parser.add_argument(
                option,
                metavar="YYYY-MM-DD",
                help=gettext_lazy("Default: from the deadline settings."),
            )

    def handle(self, *args, month: str, **options) -> None:
        year, number = arguments.month(month)
        deadlines = {
            name: arguments.day(options[name], option)
            for name, option in DEADLINE_OPTIONS.items()
            if options.get(name)
        }
        self.check_deadlines(year, number, deadlines)
        try:
            result = periods.open_period(year, number, **deadlines)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.report(result)

    def check_deadlines(self, year: int, month: int, deadlines: dict) -> None:
        period = Period.objects.filter(year=year, month=month).first()
        if period is not None:
            if deadlines and not period.is_closed:
                self.stdout.write(
                    _("Month %(period)s is already open: its deadlines stay as they are.")
                    % {"period": period}
                )
            return
        values = list({**periods.default_deadlines(year, month), **deadlines}.values())
        if values != sorted(values):
            raise CommandError(
                _("Deadlines go in order: work plan, then self-scoring, then evaluation.")
            )

    def report(self, result: periods.OpenResult) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                _("Month %(period)s: %(created)d sheets created, %(existing)d already existed.")
                % {"period": result.period, "created": result.created, "existing": result.existing}
            )
        )
        if result.without_set:
            self.stdout.write(
                self.style.WARNING(
                    _("No criteria set applies, so no sheet (%(count)d): %(names)s")
                    % {
                        "count": len(result.without_set),
                        "names": names_of(result.without_set, NAMES_SHOWN),
                    }
                )
            )
        if result.without_evaluator:
            self.stdout.write(
                self.style.WARNING(
                    _("No evaluator this month (%(count)d): %(names)s")
                    % {
                        "count": len(result.without_evaluator),
                        "names": names_of(result.without_evaluator, NAMES_SHOWN),
                    }
                )
            )
