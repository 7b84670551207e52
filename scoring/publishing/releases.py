"""Releasing a month's figures with four eyes: prepare, approve, public at its time.

Only a locked month can be prepared (:func:`prepare_refusal`); a different officer of
the home-affairs office approves (:func:`approval_refusal`; the database refuses the
preparer too); the release is public from its ``scheduled_for``. A correction is a new
release of a month already released, with a note saying what it corrects. Each step is
in the audit log, and approving tells the public side its figures changed.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from scoring.access.policy import may_approve_release, may_prepare_release
from scoring.calendar.models import Period
from scoring.lib.months import next_month

from . import public
from .figures import build_figures
from .models import Release


def calendar_date(period: Period) -> datetime.datetime:
    """The release calendar's date for ``period``: day ``RELEASE_DAY`` of the month after
    it, at 08:00."""
    year, month = next_month(period.year, period.month)
    day = datetime.date(year, month, min(int(getattr(settings, "RELEASE_DAY", 20)), 28))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)))


def default_schedule(period: Period, now: datetime.datetime | None = None) -> datetime.datetime:
    """The calendar's date, or now when that day has passed."""
    return max(calendar_date(period), now or timezone.now())


def pending(period: Period) -> Release | None:
    return period.releases.filter(approved_at__isnull=True).first()


def prepare_refusal(period: Period, user) -> str | None:
    if not may_prepare_release(user):
        return _("Only the home-affairs office prepares releases.")
    if not period.is_closed:
        return _("Month %(month)s is not locked: only a locked month can be released.") % {
            "month": period
        }
    if pending(period) is not None:
        return _("A release of month %(month)s is already waiting for approval.") % {
            "month": period
        }
    return None


@transaction.atomic
def prepare(
    period: Period, user, scheduled_for: datetime.datetime | None = None, correction_note=""
) -> Release:
    """Freeze ``period``'s public figures as a release waiting for a second officer."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    if refusal := prepare_refusal(period, user):
        raise ValidationError(refusal)
    number = (period.releases.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    note = (correction_note or "").strip()
    if number > 1 and not note:
        raise ValidationError(
            _("Month %(month)s was released before: say what this correction corrects.")
            % {"month": period}
        )
    release = Release.objects.create(
        period=period,
        number=number,
        figures=build_figures(period),
        correction_note=note if number > 1 else "",
        prepared_by=user,
        scheduled_for=scheduled_for or default_schedule(period),
    )
    log(instance=release, action="scoring.release_prepared", user=user, data={"number": number})
    return release


def approval_refusal(release: Release, user) -> str | None:
    if release.is_approved:
        return _("This release was already approved.")
    if not may_approve_release(user):
        return _("Only the home-affairs office approves releases.")
    if release.prepared_by_id == user.pk:
        return _("Someone other than its preparer approves a release (four eyes).")
    if not release.period.is_closed:
        return _("The month was reopened since this release was prepared: prepare it again.")
    return None


@transaction.atomic
def approve(release: Release, user) -> Release:
    release = Release.objects.select_for_update().select_related("period").get(pk=release.pk)
    if refusal := approval_refusal(release, user):
        raise ValidationError(refusal)
    release.approved_by = user
    release.approved_at = timezone.now()
    release.save(update_fields=["approved_by", "approved_at"])
    log(
        instance=release,
        action="scoring.release_approved",
        user=user,
        data={"number": release.number, "public_from": release.scheduled_for.isoformat()},
    )
    transaction.on_commit(public.changed)
    return release


@transaction.atomic
def withdraw(release: Release, user) -> None:
    """Drop a release not yet approved (its preparer or the office)."""
    if release.is_approved:
        raise ValidationError(_("An approved release stays: correct it with a new release."))
    if not may_prepare_release(user):
        raise ValidationError(_("Only the home-affairs office prepares releases."))
    log(instance=release.period, action="scoring.release_withdrawn", user=user, data={})
    release.delete()
