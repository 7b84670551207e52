"""``manage.py open_period YYYY-MM [--plan-deadline …]``: open a month (safe to run again)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring import cycle
from scoring.models import Period, Staff

DEADLINE_OPTIONS = {
    "plan_deadline": "--plan-deadline",
    "self_deadline": "--self-deadline",
    "evaluation_deadline": "--evaluation-deadline",
}
NAMES_SHOWN = 20


def read_month(value: str) -> tuple[int, int]:
    """``(year, month)`` from "YYYY-MM", or a CommandError that says what is wrong."""
    try:
        return cycle.parse_month(value)
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from error


def find_period(value: str) -> Period:
    """The period of the month ``value``; a CommandError when it was never opened."""
    year, month = read_month(value)
    period = Period.objects.filter(year=year, month=month).first()
    if period is None:
        raise CommandError(
            _("Month %(month)02d/%(year)d has not been opened.") % {"month": month, "year": year}
        )
    return period


def read_date(value: str, option: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            _("%(option)s: “%(value)s” is not a date; write YYYY-MM-DD.")
            % {"option": option, "value": value}
        ) from error


def people(staff_ids: list[int]) -> str:
    """The first names of a list of people, and how many more there are."""
    names = list(
        Staff.objects.filter(pk__in=staff_ids[:NAMES_SHOWN])
        .order_by("full_name")
        .values_list("full_name", flat=True)
    )
    more = len(staff_ids) - len(names)
    return ", ".join(names) + (_(" and %(count)d more") % {"count": more} if more > 0 else "")


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a plain string, in today's language
        return _(
            "Open a month: one evaluation sheet per active person, with the criteria set and "
            "the evaluator that apply. Safe to run again: only people without a sheet get one."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("month", help=gettext_lazy("The month, as YYYY-MM."))
        for option in DEADLINE_OPTIONS.values():
            parser.add_argument(
                option,
                metavar="YYYY-MM-DD",
                help=gettext_lazy("Default: from the deadline settings."),
            )

    def handle(self, *args, month: str, **options) -> None:
        year, number = read_month(month)
        deadlines = {
            name: read_date(options[name], option)
            for name, option in DEADLINE_OPTIONS.items()
            if options.get(name)
        }
        self.check_deadlines(year, number, deadlines)
        try:
            result = cycle.open_period(year, number, **deadlines)
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
        values = list({**cycle.default_deadlines(year, month), **deadlines}.values())
        if values != sorted(values):
            raise CommandError(
                _("Deadlines go in order: work plan, then self-scoring, then evaluation.")
            )

    def report(self, result: cycle.OpenResult) -> None:
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
                    % {"count": len(result.without_set), "names": people(result.without_set)}
                )
            )
        if result.without_evaluator:
            self.stdout.write(
                self.style.WARNING(
                    _("No evaluator this month (%(count)d): %(names)s")
                    % {
                        "count": len(result.without_evaluator),
                        "names": people(result.without_evaluator),
                    }
                )
            )
