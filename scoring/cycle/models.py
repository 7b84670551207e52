"""The monthly cycle: periods, work plans, evaluation sheets and their scores.

One :class:`Evaluation` per person and month (a database constraint). A closed period
never changes: database triggers (migration ``0004``) refuse any insert, update or
delete of a sheet, a score or a work item of a closed period, whatever the path.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scoring.criteria.models import CriteriaSet, Criterion, LevelChoices, WorkProduct
from scoring.organisation.models import (
    Council,
    EvaluationRule,
    EvaluatorOverride,
    Position,
    Staff,
    Unit,
)

ZERO = Decimal("0")


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
    plan_deadline = models.DateField(_("work plan deadline"))
    self_deadline = models.DateField(_("self-scoring deadline"))
    evaluation_deadline = models.DateField(_("evaluation deadline"))
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


class Evaluation(models.Model):
    """One person's evaluation sheet for one month.

    Made when the month opens, with the criteria set that applied to the person then and
    the evaluator resolved then (stored, with the rule or override that chose them).
    ``version`` grows at every save so that two people saving the same sheet at once
    never silently overwrite each other.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("being prepared")
        SUBMITTED = "submitted", _("submitted for evaluation")
        RETURNED = "returned", _("returned for correction")
        APPROVED = "approved", _("evaluated")

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("period")
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("staff member")
    )
    criteria_set = models.ForeignKey(
        CriteriaSet,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("criteria set"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="+", verbose_name=_("position")
    )
    evaluator = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sheets_to_evaluate",
        verbose_name=_("evaluator"),
    )
    council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sheets_to_evaluate",
        verbose_name=_("council"),
    )
    route_rule = models.ForeignKey(
        EvaluationRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    route_override = models.ForeignKey(
        EvaluatorOverride, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    plan_approved_at = models.DateTimeField(_("work plan approved at"), null=True, blank=True)
    self_total = models.DecimalField(
        _("self-assessed total"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    final_total = models.DecimalField(
        _("final total"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    level = models.PositiveSmallIntegerField(
        _("classification"), choices=LevelChoices.choices, null=True, blank=True
    )
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    return_comment = models.TextField(_("reason for returning"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("evaluated at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evaluated by"),
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-period__year", "-period__month", "staff__full_name"]
        verbose_name = _("evaluation sheet")
        verbose_name_plural = _("evaluation sheets")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "staff"],
                name="one_evaluation_per_person_and_month",
                violation_error_message=_("This person already has a sheet for the month."),
            ),
            models.CheckConstraint(
                condition=~Q(evaluator=models.F("staff")), name="evaluation_not_self_evaluated"
            ),
        ]
        indexes = [
            models.Index(fields=["period", "evaluator"], name="evaluation_queue"),
            models.Index(fields=["period", "council"], name="evaluation_council_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.staff.full_name} – {self.period}"

    @property
    def is_editable_by_staff(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)


class WorkItem(models.Model):
    """A line of the monthly work plan and, at month end, its result.

    ``delays`` and ``major_errors`` count late deliveries and reviews failed for a major
    error; each costs 25% of that item's timeliness or quality share unless an objective
    cause is accepted (Decree 335/2025/NĐ-CP).
    """

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="work_items")
    product = models.ForeignKey(
        WorkProduct, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    deadline = models.DateField(_("deadline"))
    description = models.CharField(_("description"), max_length=500, blank=True)
    done = models.BooleanField(_("done"), null=True, blank=True)
    delays = models.PositiveSmallIntegerField(_("delays"), default=0)
    major_errors = models.PositiveSmallIntegerField(_("major errors"), default=0)
    objective_cause = models.BooleanField(_("objective cause accepted"), default=False)
    objective_cause_note = models.CharField(_("objective cause"), max_length=500, blank=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("work item")
        verbose_name_plural = _("work plan")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="work_item_quantity")
        ]

    def __str__(self) -> str:
        return f"{self.product.name} × {self.quantity}"


class CriterionScore(models.Model):
    """The self-assessed and the final points of one line of a sheet."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    self_points = models.DecimalField(
        _("self-assessed points"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    self_reason = models.CharField(_("reason"), max_length=500, blank=True)
    final_points = models.DecimalField(
        _("final points"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    final_comment = models.CharField(_("evaluator's comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="one_score_per_line"),
            models.CheckConstraint(
                condition=(Q(self_points__isnull=True) | Q(self_points__gte=0))
                & (Q(final_points__isnull=True) | Q(final_points__gte=0)),
                name="score_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} – {self.criterion.code}"
