"""A month of evaluation (:class:`Period`): its state and its deadlines.

A closed (locked) period never changes: database triggers (migrations ``0004``, ``0009``
and ``0015``) refuse any change of the period row itself, and of the sheets, scores, work
items and receipts of its month, whatever the path. The one way back is the office's
reopen: a :class:`PeriodReopening` with its written reason, and the period's ``revision``
moved on by one in the same transaction; the trigger admits exactly that change.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scoring.lib.months import validate_plausible_date


class Period(models.Model):
    """A month of evaluation and its deadlines.

    States move forward only: open (plans are registered) → self-scoring → evaluation →
    closed. Closing is the office's lock: it computes and freezes every sheet of the
    month once every unit has submitted its report (or with a recorded exception). The
    only move back is closed → evaluation, by the office's reopen with a reason.
    """

    class State(models.TextChoices):
        OPEN = "open", _("open: registering work plans")
        SELF_SCORING = "self_scoring", _("self-scoring")
        EVALUATION = "evaluation", _("evaluation")
        CLOSED = "closed", _("closed")

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default="open")
    plan_deadline = models.DateField(_("work plan deadline"), validators=[validate_plausible_date])
    self_deadline = models.DateField(
        _("self-scoring deadline"), validators=[validate_plausible_date]
    )
    evaluation_deadline = models.DateField(
        _("evaluation deadline"), validators=[validate_plausible_date]
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    revision = models.PositiveIntegerField(
        _("reopenings"),
        default=0,
        editable=False,
        help_text=_("How many times the office reopened the month after locking it."),
    )

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="one_period_per_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="period_month"),
            models.CheckConstraint(
                condition=Q(plan_deadline__lte=models.F("self_deadline"))
                & Q(self_deadline__lte=models.F("evaluation_deadline")),
                name="period_deadlines_in_order",
                violation_error_message=_(
                    "Deadlines go in order: work plan, then self-scoring, then evaluation."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:02d}/{self.year}"

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED


class PeriodReopening(models.Model):
    """The office reopened a locked month: who, when and why (the reason is required).

    ``revision`` is the period's revision the reopening leads to; the database admits a
    locked period leaving "closed" only when this row exists for its next revision.
    """

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="reopenings", verbose_name=_("period")
    )
    revision = models.PositiveIntegerField(_("reopening"))
    reason = models.TextField(_("reason"))
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reopened_at = models.DateTimeField(_("reopened at"), auto_now_add=True)

    class Meta:
        ordering = ["period", "revision"]
        verbose_name = _("reopening of a month")
        verbose_name_plural = _("reopenings of months")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "revision"], name="one_reopening_per_revision"
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="period_reopening_has_reason",
                violation_error_message=_("Say why the month is reopened."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} #{self.revision}"
