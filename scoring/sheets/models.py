"""What an import remembers of offices' files: the columns users mapped by hand."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ColumnChoice(models.Model):
    """A header of an office's file that a user said how to read, for one table.

    The next file with that header (the same layout, or another office's list that
    spells the column alike) is read the same way without asking. ``column`` is the
    import's own column name, or empty for "not read".
    """

    table = models.SlugField(_("table"), max_length=60)
    header = models.CharField(_("header in the file"), max_length=200)
    column = models.CharField(_("read as"), max_length=100, blank=True)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen by"),
    )
    chosen_at = models.DateTimeField(_("chosen at"), auto_now=True)

    class Meta:
        verbose_name = _("remembered column")
        verbose_name_plural = _("remembered columns")
        constraints = [
            models.UniqueConstraint(fields=["table", "header"], name="one_choice_per_header")
        ]

    def __str__(self) -> str:
        return f"{self.header} → {self.column or '—'}"


def remembered(table: str) -> dict[str, str]:
    """The choices remembered for ``table``: header key → column ("" for not read)."""
    return dict(ColumnChoice.objects.filter(table=table).values_list("header", "column"))


def remember(table: str, chosen: dict[str, str], automatic: set[str], user) -> None:
    """Keep ``chosen`` for the next file; forget the headers now read automatically."""
    for header, column in chosen.items():
        ColumnChoice.objects.update_or_create(
            table=table, header=header, defaults={"column": column, "chosen_by": user}
        )
    if automatic:
        ColumnChoice.objects.filter(table=table, header__in=automatic).delete()
