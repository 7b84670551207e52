"""The organisation: units, positions, staff, their posts, councils and evaluator routes.

Everything that changes over time is effective-dated (``valid_from`` / ``valid_to``,
``start_date`` / ``end_date``), so a past month reads the structure it had then: the
2019 three-tier locality (province, district, commune) and today's two-tier one live in
the same tree. A reorganisation closes old units and opens new ones with a successor
link instead of moving branches, so the tree never rewrites history.
"""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from treebeard.mp_tree import MP_Node
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from scoring.calendar.closed import check_not_closed
from scoring.lib.months import validate_plausible_date
from scoring.lib.names import tidy


class UnitKind(models.Model):
    """A kind of unit (province, commune, agency, Party committee…); rules match on it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)

    panels = [FieldPanel("code"), FieldPanel("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit kind")
        verbose_name_plural = _("unit kinds")

    def __str__(self) -> str:
        return self.name


class Unit(MP_Node):
    """An organisational unit, a node of the locality's tree.

    A unit exists from ``valid_from`` to ``valid_to`` (inclusive, open when empty). When
    it is merged or replaced, ``successor`` names the unit that took over its people.
    Renames keep the old name in :class:`UnitChange`, so :meth:`name_on` reads history.
    """

    code = models.CharField(_("unit code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.ForeignKey(
        UnitKind, on_delete=models.PROTECT, related_name="units", verbose_name=_("kind")
    )
    valid_from = models.DateField(
        _("valid from"), default=datetime.date(2000, 1, 1), validators=[validate_plausible_date]
    )
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, validators=[validate_plausible_date]
    )
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successor"),
        help_text=_("The unit that took over when this one was merged or closed."),
    )

    node_order_by = ["code"]

    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")]),
        FieldPanel("successor"),
    ]

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_range",
            ),
            models.CheckConstraint(
                condition=~Q(successor=models.F("id")), name="unit_not_own_successor"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @admin.display(description=_("name"), ordering="path")
    def tree_label(self) -> str:
        """The name indented by depth, so a listing in path order reads as a tree."""
        indent = "\u00a0\u00a0\u00a0\u00a0" * (self.depth - 1)
        return f"{indent}└\u00a0{self.name}" if self.depth > 1 else self.name

    def clean(self) -> None:
        """A unit cannot be closed (nor its end moved) inside a closed month."""
        stored = (
            Unit.objects.filter(pk=self.pk).values_list("valid_to", flat=True).first()
            if self.pk
            else None
        )
        if stored != self.valid_to:
            for day in (stored, self.valid_to):
                check_not_closed(day, _("the end of a unit"), ending=True)

    def is_valid_on(self, day: datetime.date) -> bool:
        """Whether the unit exists on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    def name_on(self, day: datetime.date) -> str:
        """The unit's name as it was on ``day``, read back through its renames."""
        later_rename = (
            self.changes.filter(change=UnitChange.Change.RENAMED, date__gt=day)
            .order_by("date")
            .first()
        )
        return later_rename.old_name if later_rename else self.name


class UnitChange(models.Model):
    """One event in a unit's life: created, renamed, merged into another, or closed."""

    class Change(models.TextChoices):
        CREATED = "created", pgettext_lazy("unit change", "created")
        RENAMED = "renamed", pgettext_lazy("unit change", "renamed")
        MERGED = "merged", pgettext_lazy("unit change", "merged")
        CLOSED = "closed", pgettext_lazy("unit change", "closed")

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="changes", verbose_name=_("unit")
    )
    change = models.CharField(_("change"), max_length=20, choices=Change.choices)
    date = models.DateField(_("date"), validators=[validate_plausible_date])
    old_name = models.CharField(_("old name"), max_length=200, blank=True)
    new_name = models.CharField(_("new name"), max_length=200, blank=True)
    successor = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("successor"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["unit", "date", "id"]
        verbose_name = _("unit change")
        verbose_name_plural = _("unit changes")

    def __str__(self) -> str:
        return f"{self.unit} – {self.get_change_display()} ({self.date:%d/%m/%Y})"


class Position(models.Model):
    """A post title shared across units ("Chủ tịch", "Phó Bí thư", "Chuyên viên"…).

    ``is_head`` marks the posts that lead a unit; a rule that asks for "the head of the
    unit" finds the holder of such a post.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    is_head = models.BooleanField(_("leads the unit"), default=False)
    rank = models.PositiveSmallIntegerField(
        _("rank"), default=100, help_text=_("Lower ranks come first (heads before deputies).")
    )
    unit_kinds = models.ManyToManyField(
        UnitKind,
        blank=True,
        related_name="positions",
        verbose_name=_("kinds of unit"),
        help_text=_(
            "The kinds of unit this post exists in; a staff import matches a post written "
            "by name among those of the person's kind of unit. Empty: every kind."
        ),
    )

    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("is_head"),
        FieldPanel("rank"),
        FieldPanel("unit_kinds", widget=forms.CheckboxSelectMultiple),
    ]

    class Meta:
        ordering = ["rank", "name"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return self.name


class Staff(ClusterableModel):
    """A cadre, civil servant, public employee or contract worker.

    Their posts over time are :class:`Assignment` rows; a person holds one main post at
    a time. ``user`` links the person to their login, when they have one.
    """

    class Category(models.TextChoices):
        CADRE = "CB", _("cadre (cán bộ)")
        CIVIL_SERVANT = "CC", _("civil servant (công chức)")
        PUBLIC_EMPLOYEE = "VC", _("public employee (viên chức)")
        CONTRACT = "HD", _("contract worker (hợp đồng)")

    code = models.CharField(_("staff code"), max_length=40, unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    category = models.CharField(_("category"), max_length=2, choices=Category.choices)
    start_date = models.DateField(_("start date"), validators=[validate_plausible_date])
    end_date = models.DateField(
        _("end date"), null=True, blank=True, validators=[validate_plausible_date]
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("user account"),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("code"),
                FieldPanel("full_name"),
                FieldPanel("category"),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldPanel("user"),
            ],
            heading=_("Person"),
        ),
        InlinePanel("assignments", heading=_("Posts"), label=_("post"), min_num=0),
    ]

    class Meta:
        ordering = ["full_name", "code"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="staff_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.code})"

    def save(self, *args, **kwargs) -> None:
        # Names come typed, pasted and imported: stored once, the same way.
        self.full_name, self.code = tidy(self.full_name), tidy(self.code)
        super().save(*args, **kwargs)

    def post_on(self, day: datetime.date) -> Assignment | None:
        """The main post held on ``day``, if any."""
        return (
            self.assignments.filter(start_date__lte=day)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
            .select_related("unit", "position")
            .order_by("-start_date")
            .first()
        )


class Assignment(models.Model):
    """A main post held by a person in a unit from ``start_date`` to ``end_date``.

    At most one post is open (no end date) per person, which the database enforces;
    overlapping closed posts are refused by :meth:`clean`.
    """

    # A parental key, so the staff form edits a person's posts inline.
    staff = ParentalKey(
        Staff,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("staff member"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("unit")
    )
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("position")
    )
    start_date = models.DateField(_("start date"), validators=[validate_plausible_date])
    end_date = models.DateField(
        _("end date"), null=True, blank=True, validators=[validate_plausible_date]
    )

    panels = [
        FieldPanel("unit"),
        FieldPanel("position"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
    ]

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(
                fields=["staff"],
                condition=Q(end_date__isnull=True),
                name="one_open_main_post_per_staff",
                violation_error_message=_("This person already holds an open main post."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="assignment_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["unit", "position"], name="assignment_unit_position")]

    def __str__(self) -> str:
        return f"{self.position} – {self.unit}"

    def overlaps(self, start: datetime.date, end: datetime.date | None) -> bool:
        """Whether this post's dates overlap the range ``start``..``end`` (open when None)."""
        far = datetime.date.max
        return self.start_date <= (end or far) and start <= (self.end_date or far)

    def clean(self) -> None:
        self._refuse_closed_months()
        if not self.staff_id:
            return
        others = Assignment.objects.filter(staff_id=self.staff_id).exclude(pk=self.pk)
        if any(other.overlaps(self.start_date, self.end_date) for other in others):
            raise ValidationError(
                _("A person holds one main post at a time: these dates overlap another post.")
            )

    def _refuse_closed_months(self) -> None:
        """A post cannot begin, end or move inside a closed month (who held it is frozen)."""
        stored = Assignment.objects.filter(pk=self.pk).first() if self.pk else None
        if stored is None or stored.start_date != self.start_date:
            for day in (stored.start_date if stored else None, self.start_date):
                check_not_closed(day, _("a new post"))
        if stored is None or stored.end_date != self.end_date:
            for day in (stored.end_date if stored else None, self.end_date):
                check_not_closed(day, _("the end of a post"), ending=True)


class Council(ClusterableModel):
    """A body of several people that scores as one (e.g. a Party standing committee).

    Any member may record the council's decision; the sheet then names the council.
    A council with a ``contest_scope`` also hears the contested scores of that unit's
    subtree that no evaluator's evaluator can take (:mod:`scoring.contests.contests`).
    """

    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="councils", verbose_name=_("unit")
    )
    members = ParentalManyToManyField(
        Staff, related_name="councils", blank=True, verbose_name=_("members")
    )
    contest_scope = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contest_councils",
        verbose_name=_("hears contests for"),
        help_text=_(
            "The council decides contested scores of this unit and every unit below it, "
            "when the evaluator has no evaluator of their own or the sheet was decided by "
            "a council. Leave empty if it hears none."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("unit"),
        FieldPanel("members"),
        FieldPanel("contest_scope"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("council")
        verbose_name_plural = _("councils")

    def __str__(self) -> str:
        return self.name


class EvaluationRule(ClusterableModel):
    """Who evaluates whom, as data: (unit kind, position) → evaluator.

    A rule matches a person whose main post is in a unit of one of ``subject_kinds``
    (any when empty), lying within a unit of ``subject_within_kind`` (any when empty),
    holding one of ``subject_positions`` (any when empty; heads only when
    ``subject_heads_only``). The evaluator is found from an *anchor* unit (the person's
    own unit, its parent, the nearest ancestor of ``anchor_kind``, or a named unit),
    optionally stepping down to the anchor's child of ``target_kind``; in that unit it is
    the holder of ``evaluator_position`` (the unit's head when empty), or the unit's
    council. Among matching rules the lowest ``priority`` wins, then the most specific.
    """

    class Anchor(models.TextChoices):
        SAME_UNIT = "same", _("the person's own unit")
        PARENT_UNIT = "parent", _("the parent unit")
        ANCESTOR = "ancestor", _("the nearest enclosing unit of a kind")
        NAMED_UNIT = "named", _("a named unit")

    class Evaluator(models.TextChoices):
        HEAD = "head", _("the head of the unit")
        POSITION = "position", _("the holder of a position")
        COUNCIL = "council", _("the unit's council")

    name = models.CharField(_("name"), max_length=200)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=100, help_text=_("Rules with a lower number are tried first.")
    )
    subject_kinds = ParentalManyToManyField(
        UnitKind, blank=True, related_name="+", verbose_name=_("person's unit kinds")
    )
    subject_within_kind = models.ForeignKey(
        UnitKind,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("within a unit of kind"),
    )
    subject_positions = ParentalManyToManyField(
        Position, blank=True, related_name="+", verbose_name=_("person's positions")
    )
    subject_heads_only = models.BooleanField(_("heads only"), default=False)
    anchor = models.CharField(_("look for the evaluator in"), max_length=10, choices=Anchor.choices)
    anchor_kind = models.ForeignKey(
        UnitKind,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enclosing unit kind"),
    )
    named_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("named unit"),
    )
    target_kind = models.ForeignKey(
        UnitKind,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("then its child unit of kind"),
    )
    evaluator = models.CharField(
        _("evaluator"), max_length=10, choices=Evaluator.choices, default=Evaluator.HEAD
    )
    evaluator_position = models.ForeignKey(
        Position,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evaluator's position"),
    )
    valid_from = models.DateField(
        _("valid from"), default=datetime.date(2000, 1, 1), validators=[validate_plausible_date]
    )
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, validators=[validate_plausible_date]
    )
    note = models.TextField(_("legal basis / note"), blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("priority"), FieldPanel("note")], heading=_("Rule")
        ),
        MultiFieldPanel(
            [
                FieldPanel("subject_kinds"),
                FieldPanel("subject_within_kind"),
                FieldPanel("subject_positions"),
                FieldPanel("subject_heads_only"),
            ],
            heading=_("Who is evaluated"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("anchor"),
                FieldPanel("anchor_kind"),
                FieldPanel("named_unit"),
                FieldPanel("target_kind"),
                FieldPanel("evaluator"),
                FieldPanel("evaluator_position"),
            ],
            heading=_("Who evaluates"),
        ),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")]),
    ]

    class Meta:
        ordering = ["priority", "name"]
        verbose_name = _("evaluator rule")
        verbose_name_plural = _("evaluator rules")
        constraints = [
            models.CheckConstraint(
                condition=~Q(anchor="ancestor") | Q(anchor_kind__isnull=False),
                name="rule_ancestor_needs_kind",
                violation_error_message=_("Choose the kind of the enclosing unit."),
            ),
            models.CheckConstraint(
                condition=~Q(anchor="named") | Q(named_unit__isnull=False),
                name="rule_named_needs_unit",
                violation_error_message=_("Choose the named unit."),
            ),
            models.CheckConstraint(
                condition=~Q(evaluator="position") | Q(evaluator_position__isnull=False),
                name="rule_position_needs_position",
                violation_error_message=_("Choose the evaluator's position."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EvaluatorOverride(models.Model):
    """A hand-set evaluator for one person, with a reason; it wins over every rule.

    ``evaluator_post`` is the post that made the evaluator eligible, recorded when the
    override is saved: from the day they no longer hold it (they leave the service or
    move), the override no longer holds, the route report flags it and the month falls
    back to the rules.
    """

    staff = models.ForeignKey(
        Staff,
        on_delete=models.CASCADE,
        related_name="evaluator_overrides",
        verbose_name=_("staff member"),
    )
    evaluator = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evaluator"),
    )
    council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("council"),
    )
    reason = models.TextField(_("reason"))
    valid_from = models.DateField(_("valid from"), validators=[validate_plausible_date])
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, validators=[validate_plausible_date]
    )
    evaluator_post = models.ForeignKey(
        "Assignment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("evaluator's post"),
    )

    panels = [
        FieldPanel("staff"),
        FieldPanel("evaluator"),
        FieldPanel("council"),
        FieldPanel("reason"),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")]),
    ]

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("evaluator override")
        verbose_name_plural = _("evaluator overrides")
        constraints = [
            models.CheckConstraint(
                condition=Q(evaluator__isnull=True, council__isnull=False)
                | Q(evaluator__isnull=False, council__isnull=True),
                name="override_one_evaluator",
                violation_error_message=_("Choose either an evaluator or a council, not both."),
            ),
            models.CheckConstraint(
                condition=~Q(evaluator=models.F("staff")),
                name="override_not_self",
                violation_error_message=_("A person can never be their own evaluator."),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="override_needs_reason",
                violation_error_message=_("Give the reason for the override."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} → {self.evaluator or self.council}"

    def save(self, *args, **kwargs) -> None:
        if self.evaluator_id and (
            self.evaluator_post is None or self.evaluator_post.staff_id != self.evaluator_id
        ):
            self.evaluator_post = self.eligible_post()
        super().save(*args, **kwargs)

    def eligible_post(self) -> Assignment | None:
        """The evaluator's main post when the override takes effect (else their latest)."""
        posts = Assignment.objects.filter(staff_id=self.evaluator_id)
        on_start = posts.filter(start_date__lte=self.valid_from).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=self.valid_from)
        )
        return on_start.order_by("-start_date").first() or posts.order_by("-start_date").first()
