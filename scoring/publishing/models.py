"""A release of a month's public figures (:class:`Release`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from scoring.calendar.models import Period


class Release(models.Model):
    """The public figures of one locked month, as released.

    Prepared by one officer of the home-affairs office, approved by another (the
    database refuses the same person), public from ``scheduled_for``. The figures are
    frozen in ``figures`` when prepared, already suppressed, so what was released stays
    as it was. A correction is a new release of the same month with the next
    ``number`` and a ``correction_note``; the earlier ones stay readable as history.
    """

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="releases", verbose_name=_("period")
    )
    number = models.PositiveSmallIntegerField(_("release"), default=1)
    figures = models.JSONField(_("figures"), default=dict, editable=False)
    correction_note = models.TextField(_("correction note"), blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    scheduled_for = models.DateTimeField(_("public from"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        ordering = ["-period__year", "-period__month", "-number"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="one_release_per_number"),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("prepared_by")),
                name="release_four_eyes",
                violation_error_message=_(
                    "A release is approved by someone other than its preparer."
                ),
            ),
            models.CheckConstraint(
                condition=Q(number=1) | ~Q(correction_note=""),
                name="correction_has_note",
                violation_error_message=_("A correction says what it corrects."),
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True, approved_at__isnull=True)
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="release_approval_complete",
            ),
        ]
        indexes = [models.Index(fields=["approved_at", "scheduled_for"], name="release_public")]

    def __str__(self) -> str:
        return f"{self.period} #{self.number}"

    @property
    def is_correction(self) -> bool:
        return self.number > 1

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None
