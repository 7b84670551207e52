"""A person's written contest of their final score, and its decision.

One :class:`Contest` per filing. Whoever hears it is resolved when it is filed and
stored (a person, or a council), as a sheet stores its evaluator. A sheet has at most
one open contest (a database constraint); a decided contest keeps the total and level
before and after, so the record reads without the audit log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scoring.criteria.models import LevelChoices
from scoring.cycle.models import Evaluation
from scoring.organisation.models import Council, Staff


class Contest(models.Model):
    """A person disagreeing, in writing, with the final score of their evaluated sheet.

    ``old_total`` and ``old_level`` are the sheet's final total and level when filed;
    ``new_total`` and ``new_level`` what the decision left (the same when the score
    stands). ``decider`` and ``council`` are who hears it (one of them at least).
    """

    class State(models.TextChoices):
        OPEN = "open", _("waiting for a decision")
        UPHELD = "upheld", _("the score stands")
        CHANGED = "changed", _("the score was changed")

    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.PROTECT,
        related_name="contests",
        verbose_name=_("evaluation sheet"),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    grounds = models.TextField(_("grounds"))
    decider = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contests_to_decide",
        verbose_name=_("decided by (person)"),
    )
    council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contests_to_decide",
        verbose_name=_("decided by (council)"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision entered by"),
    )
    reason = models.TextField(_("reason for the decision"), blank=True)
    old_total = models.DecimalField(_("total before"), max_digits=6, decimal_places=2)
    old_level = models.PositiveSmallIntegerField(
        _("classification before"), choices=LevelChoices.choices
    )
    new_total = models.DecimalField(
        _("total after"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    new_level = models.PositiveSmallIntegerField(
        _("classification after"), choices=LevelChoices.choices, null=True, blank=True
    )

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation"],
                condition=Q(state="open"),
                name="one_open_contest_per_sheet",
                violation_error_message=_("A contest of this score is already open."),
            ),
            models.CheckConstraint(condition=~Q(grounds=""), name="contest_has_grounds"),
            models.CheckConstraint(
                condition=Q(decider__isnull=False) | Q(council__isnull=False),
                name="contest_has_decider",
            ),
            models.CheckConstraint(
                condition=Q(state="open")
                | (
                    ~Q(reason="")
                    & Q(decided_at__isnull=False)
                    & Q(new_total__isnull=False)
                    & Q(new_level__isnull=False)
                ),
                name="contest_decided_with_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "decider"], name="contest_decider_queue"),
            models.Index(fields=["state", "council"], name="contest_council_queue"),
        ]

    def __str__(self) -> str:
        return str(self.evaluation)

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def decider_name(self) -> str:
        """Who hears it, as the pages name them."""
        return self.decider.full_name if self.decider_id else str(self.council)
