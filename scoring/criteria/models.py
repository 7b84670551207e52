"""Criteria sets as versioned data: groups, lines, classification bands.

A set applies to staff categories and/or positions (staff or leaders) from a month on.
A set that sheets were scored on is never edited in place: saving it in the admin makes
a new version (same ``code``, ``version`` + 1), and every sheet keeps the version it was
scored on (:class:`scoring.models.Evaluation` holds a protected foreign key to it).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from scoring.engine import Band, CriterionKind, Level
from scoring.engine.rollup import RollupBasis, RollupRule
from scoring.lib.months import validate_plausible_date
from scoring.organisation.models import Position

ZERO = Decimal("0")


class LevelChoices(models.IntegerChoices):
    """The four classification levels (Decree 335/2025/NĐ-CP, art. on classification)."""

    EXCELLENT = Level.EXCELLENT, _("Excellent completion of tasks")
    GOOD = Level.GOOD, _("Good completion of tasks")
    COMPLETION = Level.COMPLETION, _("Completion of tasks")
    FAILURE = Level.FAILURE, _("Failure to complete tasks")


class KindChoices(models.TextChoices):
    """How a criterion line gets its points (see :class:`scoring.engine.CriterionKind`)."""

    MANUAL = CriterionKind.MANUAL, _("scored by hand")
    BONUS = CriterionKind.BONUS, _("bonus points")
    DEDUCTION = CriterionKind.DEDUCTION, _("deduction points")
    TASK_RESULT = CriterionKind.TASK_RESULT, _("task results (from the work plan)")
    CITIZEN_SATISFACTION = CriterionKind.CITIZEN_SATISFACTION, _("citizen satisfaction")
    UNIT_RESULT = CriterionKind.UNIT_RESULT, _("unit result (leaders)")


def _points_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(ZERO)],
        **kwargs,
    )


class RollupBasisChoices(models.TextChoices):
    """What a year's mean is taken over (see :class:`scoring.engine.rollup.RollupBasis`)."""

    MONTHS = RollupBasis.MONTHS, _("mean of the months")
    QUARTERS = RollupBasis.QUARTERS, _("mean of the quarters")


class CriteriaSet(ClusterableModel):
    """A versioned criteria sheet with its groups, lines and bands.

    It applies from ``effective_from`` (the first day of a month) to people whose category
    is in ``categories`` (all when empty), who hold one of ``positions`` (any when empty),
    and who are leaders or not as ``leaders`` says. Among the sets that apply to a person
    in a month, the lowest ``priority`` wins. Task-result points use the weighted mean of
    the quantity, quality and timeliness ratios (equal weights: the plain mean).
    """

    class Leaders(models.TextChoices):
        ALL = "all", _("everyone")
        HEADS = "heads", _("leaders only")
        STAFF = "staff", _("non-leaders only")

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    name = models.CharField(_("name"), max_length=200)
    effective_from = models.DateField(_("applies from"), validators=[validate_plausible_date])
    categories = models.JSONField(_("staff categories"), default=list, blank=True)
    leaders = models.CharField(
        _("leaders"), max_length=10, choices=Leaders.choices, default=Leaders.ALL
    )
    positions = ParentalManyToManyField(
        Position, blank=True, related_name="+", verbose_name=_("positions")
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=100)
    for_desk_officers = models.BooleanField(
        _("for one-stop desk officers"),
        default=False,
        help_text=_(
            "Applies only to officers of a service desk in the month, who get it before any "
            "other set; other people never get it."
        ),
    )
    quantity_weight = _points_field(_("weight of quantity"), default=Decimal("1"))
    quality_weight = _points_field(_("weight of quality"), default=Decimal("1"))
    timeliness_weight = _points_field(_("weight of timeliness"), default=Decimal("1"))
    unit_fail_ratio = models.DecimalField(
        _("unit-result ratio when someone fails"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.5"),
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("1"))],
    )
    rollup_basis = models.CharField(
        _("the year's mean is"),
        max_length=10,
        choices=RollupBasisChoices.choices,
        default=RollupBasisChoices.MONTHS,
        help_text=_(
            "A quarter is the mean of its months; the year the mean of its months or of its "
            "quarters. Months absent for good cause are left out."
        ),
    )
    failed_month_bars_excellent = models.BooleanField(
        _("a failed month bars an excellent quarter or year"),
        default=False,
        help_text=_(
            "When ticked, a quarter or year with a month at “Failure to complete tasks” can "
            "be no better than “Good completion of tasks”, whatever its mean."
        ),
    )
    note = models.TextField(_("legal basis / note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("code"),
                FieldPanel("name"),
                FieldPanel("effective_from"),
                FieldPanel("note"),
            ],
            heading=_("Set"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("categories"),
                FieldPanel("leaders"),
                FieldPanel("positions"),
                FieldPanel("for_desk_officers"),
                FieldPanel("priority"),
            ],
            heading=_("Applies to"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("quantity_weight"),
                        FieldPanel("quality_weight"),
                        FieldPanel("timeliness_weight"),
                    ]
                ),
                FieldPanel("unit_fail_ratio"),
                FieldPanel("rollup_basis"),
                FieldPanel("failed_month_bars_excellent"),
            ],
            heading=_("Formulas"),
        ),
        InlinePanel("groups", heading=_("Groups and criteria"), label=_("group")),
        InlinePanel("bands", heading=_("Classification bands"), label=_("band")),
    ]

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="criteria_set_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def max_points(self) -> Decimal:
        """The sum of the non-bonus, non-deduction maxima (usually 100)."""
        return sum(
            (
                criterion.max_points
                for group in self.groups.all()
                for criterion in group.criteria.all()
                if criterion.kind not in (KindChoices.BONUS, KindChoices.DEDUCTION)
            ),
            ZERO,
        )

    def applies_to(self, category: str, position_id: int | None, is_head: bool) -> bool:
        """Whether this set is meant for a person of ``category`` in that post."""
        if self.categories and category not in self.categories:
            return False
        if self.leaders == self.Leaders.HEADS and not is_head:
            return False
        if self.leaders == self.Leaders.STAFF and is_head:
            return False
        position_ids = {position.pk for position in self.positions.all()}
        return not position_ids or position_id in position_ids

    @property
    def rollup_rule(self) -> RollupRule:
        """How quarters and years are derived on this set (uses prefetched bands)."""
        bands = tuple(Band(band.level, band.minimum) for band in self.bands.all())
        return RollupRule(
            basis=RollupBasis(self.rollup_basis),
            failed_month_bars_excellent=self.failed_month_bars_excellent,
            **({"bands": bands} if bands else {}),
        )

    def is_in_use(self) -> bool:
        """Whether any evaluation sheet was made on this version."""
        return self.evaluations.exists()


class CriterionGroup(Orderable, ClusterableModel):
    """A group of lines on the sheet (e.g. general criteria, task results, bonus)."""

    criteria_set = ParentalKey(CriteriaSet, on_delete=models.CASCADE, related_name="groups")
    title = models.CharField(_("title"), max_length=200)

    panels = [
        FieldPanel("title"),
        InlinePanel("criteria", heading=_("Criteria"), label=_("criterion")),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("criterion group")
        verbose_name_plural = _("criterion groups")

    def __str__(self) -> str:
        return self.title


class Criterion(Orderable):
    """One line of the sheet: its code, maximum points and how it is scored.

    ``cap_level``: when the line carries points, the whole sheet can be no better than
    this level; a deduction for a reprimand or heavier discipline has cap level 4, which
    forces "Không hoàn thành nhiệm vụ" (Decree 335/2025/NĐ-CP).
    """

    group = ParentalKey(CriterionGroup, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=30, choices=KindChoices.choices, default=KindChoices.MANUAL
    )
    max_points = _points_field(_("maximum points"))
    cap_level = models.PositiveSmallIntegerField(
        _("caps the level at"),
        choices=LevelChoices.choices,
        null=True,
        blank=True,
        help_text=_("When this line carries points, the sheet cannot be better than this."),
    )

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("kind"), FieldPanel("max_points")]),
        FieldPanel("title"),
        FieldPanel("cap_level"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    @property
    def is_entered(self) -> bool:
        """Lines whose points a person types (the rest are computed)."""
        return self.kind in (KindChoices.MANUAL, KindChoices.BONUS, KindChoices.DEDUCTION)

    @property
    def needs_reason(self) -> bool:
        """Bonus and deduction points must say why."""
        return self.kind in (KindChoices.BONUS, KindChoices.DEDUCTION)

    @property
    def forces_failure(self) -> bool:
        return self.cap_level == LevelChoices.FAILURE


class ClassificationBand(Orderable):
    """A total of at least ``minimum`` points earns ``level`` (e.g. 90/70/50/0)."""

    criteria_set = ParentalKey(CriteriaSet, on_delete=models.CASCADE, related_name="bands")
    level = models.PositiveSmallIntegerField(_("level"), choices=LevelChoices.choices)
    minimum = _points_field(_("from points"))

    panels = [FieldRowPanel([FieldPanel("level"), FieldPanel("minimum")])]

    class Meta(Orderable.Meta):
        verbose_name = _("classification band")
        verbose_name_plural = _("classification bands")

    def __str__(self) -> str:
        return f"{self.get_level_display()} ≥ {self.minimum}"


def criteria_sets_in_force(day: datetime.date) -> list[CriteriaSet]:
    """For each set code, the newest version in force on ``day``, best priority first."""
    candidates = (
        CriteriaSet.objects.filter(effective_from__lte=day)
        .order_by("code", "-effective_from", "-version")
        .prefetch_related("positions")
    )
    newest: dict[str, CriteriaSet] = {}
    for criteria_set in candidates:
        newest.setdefault(criteria_set.code, criteria_set)
    return sorted(newest.values(), key=lambda s: (s.priority, s.code))


class WorkProduct(models.Model):
    """An entry of the catalogue of work products (danh mục sản phẩm, công việc).

    ``weight`` converts one product into standard units (quy đổi): e.g. a decision 1.0,
    a report 0.5 (Decree 335/2025/NĐ-CP on task results).
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    weight = models.DecimalField(
        _("conversion weight"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("work product")
        verbose_name_plural = _("work product catalogue")

    def __str__(self) -> str:
        return f"{self.name} (×{self.weight})"
