"""The quota of the top level as data, and the unit head's decisions when it is broken.

A :class:`QuotaRule` says, from a date and for some kinds of unit, how people are grouped
(the whole unit, each position, duty groups listed on the rule, or the staff category)
and which shares cap level 1: of those at level 2 (Decree 335/2025/NĐ-CP: 20%) and/or of
everyone scored (Hà Nội 3814-QĐ/TU: 30%, 40% in units marked exceptional).

A :class:`QuotaDecision` records what the head of a unit decided for one group of one
month: who keeps level 1, who is proposed at level 2, why, who decided and when. It is
the unit's proposal to the home-affairs office; it does not rewrite a sheet, whose level
always follows its own total and bands (:mod:`scoring.cycle.sheets`).
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from scoring.calendar.models import Period
from scoring.cycle.models import Evaluation
from scoring.engine.quota import QuotaCap
from scoring.lib.months import validate_plausible_date
from scoring.organisation.models import Position, Unit, UnitKind

HUNDRED = Decimal(100)


def _percent_field(verbose_name, help_text="") -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(HUNDRED)],
        help_text=help_text,
    )


class QuotaRule(ClusterableModel):
    """How many people may be at level 1, per group, in the units of some kinds.

    It applies from ``valid_from`` to ``valid_to`` (open when empty) to units of
    ``unit_kinds`` (every kind when empty); among the rules that apply to a unit in a
    month, the lowest ``priority`` wins, then the latest start. A percentage left empty
    is no cap of that kind; when both are set the stricter holds. In
    ``exceptional_units`` the exceptional percentages apply instead (each falls back to
    the ordinary one when empty).
    """

    class Grouping(models.TextChoices):
        UNIT = "unit", _("the whole unit as one group")
        POSITION = "position", _("each position as a group")
        DUTY_GROUP = "duty_group", _("the duty groups listed on the rule")
        CATEGORY = "category", _("each staff category as a group")

    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("applies from"), validators=[validate_plausible_date])
    valid_to = models.DateField(
        _("applies until"), null=True, blank=True, validators=[validate_plausible_date]
    )
    unit_kinds = ParentalManyToManyField(
        UnitKind,
        blank=True,
        related_name="+",
        verbose_name=_("kinds of unit"),
        help_text=_("Empty: units of every kind."),
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=100)
    grouping = models.CharField(
        _("people with similar duties are"),
        max_length=20,
        choices=Grouping.choices,
        default=Grouping.POSITION,
        help_text=_(
            "With duty groups, positions listed in no group of the rule form one group "
            "of other duties."
        ),
    )
    percent_of_good = _percent_field(
        _("level 1 at most: percent of those at level 2"),
        _("Decree 335/2025/NĐ-CP: 20. Empty: no cap of this kind."),
    )
    percent_of_all = _percent_field(
        _("level 1 at most: percent of everyone scored"),
        _("Hà Nội 3814-QĐ/TU: 30. Empty: no cap of this kind."),
    )
    exceptional_percent_of_good = _percent_field(
        _("in exceptional units: percent of those at level 2")
    )
    exceptional_percent_of_all = _percent_field(
        _("in exceptional units: percent of everyone scored"), _("Hà Nội 3814-QĐ/TU: 40.")
    )
    exceptional_units = ParentalManyToManyField(
        Unit,
        blank=True,
        related_name="+",
        verbose_name=_("exceptional units"),
        help_text=_("Units with outstanding achievements, whose ceiling is higher."),
    )
    note = models.TextField(_("legal basis / note"), blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")]),
                FieldPanel("unit_kinds", widget=forms.CheckboxSelectMultiple),
                FieldPanel("priority"),
                FieldPanel("note"),
            ],
            heading=_("Rule"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("percent_of_good"), FieldPanel("percent_of_all")]),
                FieldRowPanel(
                    [
                        FieldPanel("exceptional_percent_of_good"),
                        FieldPanel("exceptional_percent_of_all"),
                    ]
                ),
                FieldPanel("exceptional_units"),
            ],
            heading=_("Caps of level 1"),
        ),
        FieldPanel("grouping"),
        InlinePanel("duty_groups", heading=_("Duty groups"), label=_("duty group")),
    ]

    class Meta:
        ordering = ["priority", "-valid_from", "name"]
        verbose_name = _("quota rule")
        verbose_name_plural = _("quota rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="quota_rule_valid_range",
                violation_error_message=_("The end date is before the start date."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def cap(self, exceptional: bool = False) -> QuotaCap:
        """The engine's cap for an ordinary unit, or for an exceptional one."""
        of_good, of_all = self.percent_of_good, self.percent_of_all
        if exceptional:
            of_good = _first(self.exceptional_percent_of_good, of_good)
            of_all = _first(self.exceptional_percent_of_all, of_all)
        return QuotaCap(share_of_good=_share(of_good), share_of_all=_share(of_all))


def _first(*values):
    return next((value for value in values if value is not None), None)


def _share(percent: Decimal | None) -> Decimal | None:
    return None if percent is None else percent / HUNDRED


class DutyGroup(Orderable, ClusterableModel):
    """A group of positions with similar duties, counted together under a rule."""

    rule = ParentalKey(QuotaRule, on_delete=models.CASCADE, related_name="duty_groups")
    name = models.CharField(_("name"), max_length=200)
    positions = ParentalManyToManyField(
        Position, blank=True, related_name="+", verbose_name=_("positions")
    )

    panels = [FieldPanel("name"), FieldPanel("positions")]

    class Meta(Orderable.Meta):
        verbose_name = _("duty group")
        verbose_name_plural = _("duty groups")

    def __str__(self) -> str:
        return self.name


class QuotaDecision(models.Model):
    """The head's decision for one group of one unit and month whose quota is broken.

    The latest decision of a (period, unit, group) is the one in force; earlier ones
    stay as its history. ``cap`` is the cap when it was decided.
    """

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="+", verbose_name=_("period")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    group_key = models.CharField(_("group"), max_length=60)
    group_label = models.CharField(_("group"), max_length=200)
    cap = models.PositiveSmallIntegerField(_("cap"))
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = _("quota decision")
        verbose_name_plural = _("quota decisions")
        indexes = [models.Index(fields=["period", "unit"], name="quota_decision_unit_month")]

    def __str__(self) -> str:
        return f"{self.unit} – {self.period} – {self.group_label}"


class QuotaDecisionLine(models.Model):
    """One person in a decision: keeps level 1, or is proposed at level 2."""

    decision = models.ForeignKey(QuotaDecision, on_delete=models.CASCADE, related_name="lines")
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, related_name="+", verbose_name=_("evaluation sheet")
    )
    keeps_excellent = models.BooleanField(_("keeps level 1"))
    total = models.DecimalField(_("final total"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("person in a quota decision")
        verbose_name_plural = _("people in a quota decision")
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "evaluation"], name="one_line_per_person_and_decision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision} – {self.evaluation_id}"
