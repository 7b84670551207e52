"""What the month commands read from their arguments, with a CommandError that says why."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.calendar.models import Period
from scoring.lib.months import Month, parse_day, parse_month


def _or_command_error(parse, value: str, prefix: str = ""):
    try:
        return parse(value)
    except ValidationError as error:
        raise CommandError(prefix + " ".join(error.messages)) from error


def month(value: str) -> Month:
    """``(year, month)`` from "YYYY-MM"."""
    return _or_command_error(parse_month, value)


def day(value: str | None, option: str = "") -> datetime.date:
    """A "YYYY-MM-DD" option, or today in the project's time zone when not given."""
    if not value:
        return timezone.localdate()
    return _or_command_error(parse_day, value, f"{option}: " if option else "")


def period(value: str) -> Period:
    """The period of the month ``value``; a CommandError when it was never opened."""
    year, number = month(value)
    found = Period.objects.filter(year=year, month=number).first()
    if found is None:
        raise CommandError(
            _("Month %(month)02d/%(year)d has not been opened.") % {"month": number, "year": year}
        )
    return found


class TranslatedCommand(BaseCommand):
    """A command whose help is read in the active language.

    ``summary`` is a lazy translation; argparse needs a plain string, so it is turned
    into one only when the help is shown.
    """

    summary: Promise

    @property
    def help(self) -> str:
        return str(self.summary)


class MonthCommand(TranslatedCommand):
    """A command on one month: ``MONTH`` first."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("month", help=gettext_lazy("The month, as YYYY-MM."))
