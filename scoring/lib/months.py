"""Calendar months and days: the one place month arithmetic is written.

A month is a ``(year, month)`` pair throughout the code. Nothing here knows a model, so
every feature, command and view can use it, and it is tested on its own. The one rule of
which dates a person may type or import (:func:`validate_plausible_date`) lives here too.
"""

from __future__ import annotations

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

Month = tuple[int, int]
MONTH_PATTERNS = ("%Y-%m", "%m/%Y")  # the HTML month input's value, and how people write it
FIRST_YEAR, LAST_YEAR = 1900, 2100  # a date outside them is a typing mistake


def validate_plausible_date(day: datetime.date) -> None:
    """Refuse a date before 1900 or after 2100: a typo such as 01/01/0202 or 2202.

    The validator of every date a person types or imports (model fields, form fields, the
    receipt API, spreadsheet cells), so they are all refused with the same message.
    """
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(
            _("%(date)s is not a plausible date: the year must be between 1900 and 2100."),
            code="implausible_date",
            params={"date": f"{day.day:02d}/{day.month:02d}/{day.year:04d}"},
        )


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a calendar month."""
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, 1), datetime.date(year, month, last)


def next_month(year: int, month: int) -> Month:
    """The month after ``year``-``month`` (December runs into January)."""
    return (year + 1, 1) if month == 12 else (year, month + 1)


def current_month() -> Month:
    """This month in the project's time zone."""
    today = timezone.localdate()
    return today.year, today.month


def month_value(year: int, month: int) -> str:
    """ "YYYY-MM", as URLs, commands and the HTML month input write a month."""
    return f"{year:04d}-{month:02d}"


def parse_month(value: str) -> Month:
    """Read "YYYY-MM" or "MM/YYYY"; a translated :class:`ValidationError` otherwise."""
    for pattern in MONTH_PATTERNS:
        try:
            day = datetime.datetime.strptime((value or "").strip(), pattern).date()
        except ValueError:
            continue
        return day.year, day.month
    raise ValidationError(_("“%(value)s” is not a month: write YYYY-MM.") % {"value": value})


def month_or_none(value: str | None) -> Month | None:
    """:func:`parse_month` for optional query parameters: None when absent or malformed."""
    try:
        return parse_month(value or "")
    except ValidationError:
        return None


def parse_day(value: str) -> datetime.date:
    """Read a plausible "YYYY-MM-DD"; a translated :class:`ValidationError` otherwise."""
    try:
        day = datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a date: write YYYY-MM-DD.") % {"value": value}
        ) from None
    validate_plausible_date(day)
    return day


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """Local midnight at the start of ``day`` and of the next day (aware datetimes)."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def start_of_today() -> datetime.datetime:
    """Midnight today, local time.

    While a month is open, the rating figures people see stop there: an officer reloading
    their sheet after each citizen could otherwise tell how that citizen answered.
    """
    return day_bounds(timezone.localdate())[0]
