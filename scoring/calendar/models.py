"""A month of evaluation (:class:`Period`): its state and its deadlines.

A closed period never changes: database triggers (migrations ``0004`` and ``0009``)
refuse any change of the period row itself, and of the sheets, scores, work items and
receipts of its month, whatever the path.
"""

from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scoring.lib.months import validate_plausible_date


class Period(models.Model):
    """A month of evaluation and its deadlines.

    States move forward only: open (plans are registered) → self-scoring → evaluation →
    closed. Closing computes and freezes every sheet of the month.
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
