"""The one check that nothing dated enters a closed month.

Every path that writes something dated (a receipt from the desk form, the dossier log or
the API; a post or a unit's end from the staff and units imports or the admin) asks
:func:`check_not_closed` first and shows its message; the database triggers behind it
(migration ``0009``) refuse what slips past.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from scoring.lib.months import month_bounds

from .models import Period

CLOSED_MONTH = _("Month %(month)s is closed: %(what)s dated %(date)s cannot be recorded in it.")


def closed_months(days: Iterable[datetime.date | None]) -> set[tuple[int, int]]:
    """Which of the months of ``days`` are closed (one query for any number of days)."""
    months = {(day.year, day.month) for day in days if day}
    if not months:
        return set()
    years = {year for year, _month in months}
    closed = Period.objects.filter(state=Period.State.CLOSED, year__in=years)
    return {(year, month) for year, month in closed.values_list("year", "month")} & months


def all_closed_months() -> set[tuple[int, int]]:
    """Every closed month, for an import that checks many dates (one query)."""
    closed = Period.objects.filter(state=Period.State.CLOSED)
    return set(closed.values_list("year", "month"))


def check_not_closed(
    day: datetime.date | None,
    what: str,
    closed: set[tuple[int, int]] | None = None,
    ending: bool = False,
) -> None:
    """Refuse ``what`` (e.g. "a receipt") dated ``day`` when its month is closed.

    ``closed`` is the set from :func:`all_closed_months`, for a caller checking many
    rows. With ``ending`` the date is the last day of something (a post, a unit): ending
    on the last day of a month changes nothing in that month, so it is allowed.
    """
    if day is None or (ending and day == month_bounds(day.year, day.month)[1]):
        return
    if closed is None:
        closed = closed_months([day])
    if (day.year, day.month) in closed:
        raise ValidationError(
            CLOSED_MONTH
            % {"month": f"{day.month:02d}/{day.year}", "what": what, "date": f"{day:%d/%m/%Y}"},
            code="closed_month",
        )
