"""Consolidation's one state machine: units submit their month, the office locks it.

The month (:class:`~scoring.calendar.models.Period`) moves open → self-scoring →
evaluation → closed. "Closed" is the office's lock: it needs every unit with sheets to
have submitted its report, or an exception that names the units that did not and says
why (:func:`lock_refusal`; the lock itself is :func:`scoring.cycle.periods.close_period`,
which asks it). A locked month is read and exported, never changed (database triggers);
the only way back is :func:`reopen_month`, by the office, with a written reason.

Each unit's month (:class:`~scoring.cycle.models.UnitMonth`) moves not submitted →
submitted → reopened → submitted…: the unit head submits once every sheet is evaluated
(or absent) and nothing else holds it (:func:`submission_refusal`); from then on the
unit's sheets are held (database triggers); the office reopens it with a reason
(:func:`reopen_unit_month`). Every step is in the audit log.

Each ``*_refusal`` function answers "why not?" in the user's language, or ``None``; the
pages show a button exactly when its action would be accepted, and the action asks the
same function again.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from scoring.calendar.models import Period, PeriodReopening
from scoring.organisation.models import Unit
from scoring.organisation.staff import names_of, under_paths

from .models import Evaluation, MonthLock, UnitMonth

State = Evaluation.State
DONE = (State.APPROVED, State.EXCUSED)
NAMED = 5  # how many names a refusal lists before "and N more"


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:NAMED])
    if len(names) > NAMED:
        shown += _(" and %(count)d more") % {"count": len(names) - NAMED}
    return shown


def month_units(period: Period, unit_paths: tuple[str, ...] | None = None) -> list[Unit]:
    """The units with sheets in the month, those that submit a report, in tree order;
    only those under ``unit_paths`` when given (one query)."""
    unit_ids = Evaluation.objects.filter(period=period).values("unit_id")
    units = Unit.objects.filter(pk__in=unit_ids).filter(under_paths(unit_paths))
    return list(units.order_by("path"))


def unit_months(period: Period) -> dict[int, UnitMonth]:
    """Each unit's month report row, by unit id (one query)."""
    return {row.unit_id: row for row in UnitMonth.objects.filter(period=period)}


def unit_month(period: Period, unit: Unit) -> UnitMonth | None:
    return UnitMonth.objects.filter(period=period, unit=unit).first()


def unsubmitted_units(period: Period) -> list[Unit]:
    """The units with sheets whose report is not submitted (two queries)."""
    submitted = set(
        UnitMonth.objects.filter(period=period, submitted_at__isnull=False).values_list(
            "unit_id", flat=True
        )
    )
    return [unit for unit in month_units(period) if unit.pk not in submitted]


def locked_refusal(period: Period) -> str | None:
    if period.is_closed:
        return _("Month %(month)s is locked: it can be read and exported, never changed.") % {
            "month": period
        }
    return None


# --- A unit's month --------------------------------------------------------------------


def submission_refusal(period: Period, unit: Unit, holds: Iterable[str | None] = ()) -> str | None:
    """Why ``unit`` may not submit its month now. ``holds`` are the refusals of the
    features above (open contests), asked by the caller."""
    if refusal := locked_refusal(period):
        return refusal
    row = unit_month(period, unit)
    if row and row.is_submitted:
        return _("The report of %(unit)s for %(month)s was submitted on %(when)s.") % {
            "unit": unit.name,
            "month": period,
            "when": timezone.localtime(row.submitted_at).strftime("%d/%m/%Y %H:%M"),
        }
    sheets = Evaluation.objects.filter(period=period, unit=unit)
    if not sheets.exists():
        return _("%(unit)s has no sheet in %(month)s.") % {"unit": unit.name, "month": period}
    pending = list(sheets.exclude(state__in=DONE).values_list("staff_id", flat=True))
    if pending:
        return ngettext(
            "%(count)d sheet is not evaluated yet: %(names)s.",
            "%(count)d sheets are not evaluated yet: %(names)s.",
            len(pending),
        ) % {"count": len(pending), "names": names_of(pending, limit=NAMED)}
    for hold in holds:
        if hold:
            return hold
    return None


@transaction.atomic
def submit_unit_month(period: Period, unit: Unit, user, holds: Iterable[str | None] = ()):
    """The unit head sends the unit's month to the office; its sheets are held from now."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    if refusal := submission_refusal(period, unit, holds):
        raise ValidationError(refusal)
    row, _created = UnitMonth.objects.get_or_create(period=period, unit=unit)
    person = getattr(user, "staff", None) if user is not None else None
    row.submitted_at = timezone.now()
    row.submitted_by = user
    row.submitted_by_name = person.full_name if person else (user.get_full_name() if user else "")
    row.save(update_fields=["submitted_at", "submitted_by", "submitted_by_name"])
    log(instance=row, action="scoring.unit_month_submitted", user=user, data={"unit": unit.code})
    return row


def unit_reopen_refusal(period: Period, unit: Unit) -> str | None:
    """Why the office may not reopen ``unit``'s month now (the reason is asked apart)."""
    if refusal := locked_refusal(period):
        return refusal
    row = unit_month(period, unit)
    if row is None or not row.is_submitted:
        return _("The report of %(unit)s for %(month)s has not been submitted.") % {
            "unit": unit.name,
            "month": period,
        }
    return None


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(message)
    return reason


@transaction.atomic
def reopen_unit_month(period: Period, unit: Unit, user, reason: str) -> UnitMonth:
    """The office reopens a submitted unit month, saying why; its sheets can change again."""
    reason = _reason(reason, _("Say why the unit's month is reopened."))
    period = Period.objects.select_for_update().get(pk=period.pk)
    if refusal := unit_reopen_refusal(period, unit):
        raise ValidationError(refusal)
    row = UnitMonth.objects.select_for_update().get(period=period, unit=unit)
    submitted_at = row.submitted_at
    row.submitted_at = None
    row.reopened_at = timezone.now()
    row.reopened_by = user
    row.reopen_reason = reason
    row.reopenings += 1
    row.save()
    log(
        instance=row,
        action="scoring.unit_month_reopened",
        user=user,
        data={"unit": unit.code, "reason": reason, "submitted_at": submitted_at.isoformat()},
    )
    return row


# --- The locality's month --------------------------------------------------------------


def lock_refusal(period: Period, exception: str = "") -> str | None:
    """Why the office may not lock the month now: units that have not submitted, unless
    ``exception`` says why it is locked without them."""
    if period.is_closed:
        return _("Month %(month)s is already locked.") % {"month": period}
    missing = unsubmitted_units(period)
    if missing and not (exception or "").strip():
        return ngettext(
            "%(count)d unit has not submitted its report: %(units)s. Lock the month without "
            "it only with a written exception.",
            "%(count)d units have not submitted their reports: %(units)s. Lock the month "
            "without them only with a written exception.",
            len(missing),
        ) % {"count": len(missing), "units": _listed([unit.name for unit in missing])}
    return None


def record_lock(period: Period, user, exception: str = ""):
    """Record who locked the month and the units it was locked without (inside the
    lock's transaction; :func:`scoring.cycle.periods.close_period` calls it)."""
    missing = unsubmitted_units(period)
    lock = MonthLock.objects.create(
        period=period,
        revision=period.revision,
        locked_by=user,
        exception=(exception or "").strip() if missing else "",
    )
    lock.unsubmitted.set(missing)
    return lock, missing


def month_reopen_refusal(period: Period) -> str | None:
    if not period.is_closed:
        return _("Month %(month)s is not locked.") % {"month": period}
    return None


@transaction.atomic
def reopen_month(period: Period, user, reason: str) -> Period:
    """The office reopens a locked month, saying why: back to evaluation.

    The units keep their submitted reports (their sheets stay held) until the office
    reopens each unit that has to change. The database admits the period leaving
    "closed" only with this reopening recorded for its next revision.
    """
    reason = _reason(reason, _("Say why the month is reopened."))
    period = Period.objects.select_for_update().get(pk=period.pk)
    if refusal := month_reopen_refusal(period):
        raise ValidationError(refusal)
    revision = period.revision + 1
    PeriodReopening.objects.create(
        period=period, revision=revision, reason=reason, reopened_by=user
    )
    Period.objects.filter(pk=period.pk).update(
        state=Period.State.EVALUATION, revision=revision, closed_at=None
    )
    period.refresh_from_db()
    log(
        instance=period,
        action="scoring.reopen_period",
        user=user,
        data={"reason": reason, "revision": revision},
    )
    return period
