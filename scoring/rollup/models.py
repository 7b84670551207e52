"""Discipline decided on a person, which the year's classification reads.

A reprimand or heavier discipline decided in the year, or a competent body's conclusion
of political or ethical degradation, forces "Không hoàn thành nhiệm vụ" for the year
whatever the points (Decree 335/2025/NĐ-CP; the forms of discipline are those of Decree
112/2020/NĐ-CP). Which kinds force it is data: :data:`FORCING_KINDS`, or the
``SCORING_DISCIPLINE_FORCING_FAILURE`` setting (a list of kind values) where a locality
reads the rule otherwise.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from scoring.lib.months import validate_plausible_date
from scoring.organisation.models import Staff


class Discipline(models.Model):
    """A decision of discipline (or of degradation) on one person, from its date."""

    class Kind(models.TextChoices):
        REPRIMAND = "reprimand", pgettext_lazy("discipline", "reprimand")
        WARNING = "warning", pgettext_lazy("discipline", "warning")
        SALARY_REDUCTION = "salary_reduction", pgettext_lazy("discipline", "salary step reduction")
        DEMOTION = "demotion", pgettext_lazy("discipline", "demotion")
        REMOVAL = "removal", pgettext_lazy("discipline", "removal from office")
        DISMISSAL = "dismissal", pgettext_lazy("discipline", "forced dismissal")
        DEGRADATION = (
            "degradation",
            pgettext_lazy("discipline", "conclusion of political or ethical degradation"),
        )

    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="disciplines", verbose_name=_("staff member")
    )
    kind = models.CharField(
        pgettext_lazy("discipline", "form"), max_length=30, choices=Kind.choices
    )
    decided_on = models.DateField(_("decided on"), validators=[validate_plausible_date])
    decision_number = models.CharField(_("decision number"), max_length=100)
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
        ordering = ["-decided_on", "staff__full_name"]
        verbose_name = _("discipline")
        verbose_name_plural = _("discipline")
        indexes = [models.Index(fields=["staff", "decided_on"], name="discipline_staff_day")]

    def __str__(self) -> str:
        return f"{self.staff} – {self.get_kind_display()} ({self.decision_number})"

    @property
    def forces_failure(self) -> bool:
        """Whether this kind forces level 4 for the year it was decided in."""
        return self.kind in forcing_kinds()


# Every form of discipline is a reprimand or heavier; so is a conclusion of degradation.
FORCING_KINDS: frozenset[str] = frozenset(Discipline.Kind.values)


def forcing_kinds() -> frozenset[str]:
    """The kinds that force "Không hoàn thành nhiệm vụ" for the year (a setting may narrow)."""
    configured = getattr(settings, "SCORING_DISCIPLINE_FORCING_FAILURE", None)
    return FORCING_KINDS if configured is None else frozenset(configured)
