"""The monthly cycle: periods, work plans, evaluation sheets and their scores.

One :class:`Evaluation` per person and month (a database constraint). A closed period
never changes: database triggers (migration ``0004``) refuse any insert, update or
delete of a sheet, a score or a work item of a closed period, whatever the path.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scoring.calendar.models import Period
from scoring.criteria.models import CriteriaSet, Criterion, LevelChoices, WorkProduct
from scoring.lib.months import validate_plausible_date
from scoring.organisation.models import (
    Council,
    EvaluationRule,
    EvaluatorOverride,
    Position,
    Staff,
    Unit,
)

ZERO = Decimal("0")


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
        EXCUSED = "excused", _("absent for good cause")

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

    @property
    def is_excused(self) -> bool:
        """The whole month was covered by absences for good cause: no sheet is due."""
        return self.state == self.State.EXCUSED


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
    deadline = models.DateField(_("deadline"), validators=[validate_plausible_date])
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


class AbsenceReason(models.Model):
    """A good cause for being away (maternity, sickness, training, secondment…).

    The list is data: the office adds the causes its locality recognises.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("reason for absence")
        verbose_name_plural = _("reasons for absence")

    def __str__(self) -> str:
        return self.name


class Absence(models.Model):
    """A person away for good cause from ``start_date`` to ``end_date`` (both included).

    A month these dates cover entirely is absent, not failed: no sheet is due, no
    reminder is sent, it is left out of the leader's unit-result ratio and of the quarter
    and year means (DOMAIN.md). A month covered only in part keeps its sheet.
    """

    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="absences", verbose_name=_("staff member")
    )
    reason = models.ForeignKey(
        AbsenceReason, on_delete=models.PROTECT, related_name="+", verbose_name=_("reason")
    )
    start_date = models.DateField(_("from"), validators=[validate_plausible_date])
    end_date = models.DateField(_("to"), validators=[validate_plausible_date])
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "staff__full_name"]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="absence_valid_range",
                violation_error_message=_("The end date is before the start date."),
            )
        ]
        indexes = [models.Index(fields=["staff", "start_date"], name="absence_staff_start")]

    def __str__(self) -> str:
        return f"{self.staff} – {self.reason} ({self.start_date:%d/%m/%Y}–{self.end_date:%d/%m/%Y})"


class UnitMonth(models.Model):
    """A unit's month report as sent to the home-affairs office.

    Submitted by the unit head (who and when): from then on the unit's sheets of the
    month are held, they cannot change (database triggers, migration ``0015``, refuse
    new points, work items and states) until the office reopens the unit's month with a
    written reason. The latest reopening stays on the row; every submission and
    reopening is in the audit log.
    """

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="unit_months", verbose_name=_("period")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="months", verbose_name=_("unit")
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_by_name = models.CharField(_("submitted by"), max_length=200, blank=True)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    reopenings = models.PositiveIntegerField(_("reopenings"), default=0)

    class Meta:
        ordering = ["period", "unit__path"]
        verbose_name = _("unit month report")
        verbose_name_plural = _("unit month reports")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit"], name="one_report_per_unit_and_month"
            ),
            models.CheckConstraint(
                condition=Q(reopened_at__isnull=True) | ~Q(reopen_reason=""),
                name="unit_month_reopened_with_reason",
                violation_error_message=_("Say why the unit's month is reopened."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.period}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class MonthLock(models.Model):
    """The office locked a month: who, when, and the units that had not submitted.

    A month is locked once every unit with sheets has submitted its report, or with an
    exception that names the units that did not and says why. One row per lock (a month
    reopened and locked again has two).
    """

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="locks", verbose_name=_("period")
    )
    revision = models.PositiveIntegerField(_("reopening"), default=0)
    locked_at = models.DateTimeField(_("locked at"), auto_now_add=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("locked by"),
    )
    unsubmitted = models.ManyToManyField(
        Unit, blank=True, related_name="+", verbose_name=_("units that had not submitted")
    )
    exception = models.TextField(_("reason for locking without them"), blank=True)

    class Meta:
        ordering = ["period", "revision"]
        verbose_name = _("lock of a month")
        verbose_name_plural = _("locks of months")
        constraints = [
            models.UniqueConstraint(fields=["period", "revision"], name="one_lock_per_revision")
        ]

    def __str__(self) -> str:
        return f"{self.period} #{self.revision}"
