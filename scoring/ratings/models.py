"""Citizen ratings of the one-stop desk: desks, receipts with one-time tokens, ratings.

A receipt (biên nhận) carries a one-time rating token that cannot be guessed or derived
from the dossier code, and a short code a citizen can type instead. One rating per
receipt is a database constraint. Ratings hold no data about the citizen: the client
address is kept only as a salted hash, for rate limiting and abuse review.
"""

from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable

from scoring.lib.months import validate_plausible_date
from scoring.organisation.models import Staff, Unit


class QuestionSet(ClusterableModel):
    """The questions a citizen answers, on a 3- or 5-level satisfaction scale.

    The set in force is the newest ``effective_from`` not after the day of the
    transaction; a receipt's rating is stored with the set it was asked with.
    """

    name = models.CharField(_("name"), max_length=200)
    scale = models.PositiveSmallIntegerField(
        _("answer scale"), choices=[(3, _("3 levels")), (5, _("5 levels"))], default=3
    )
    effective_from = models.DateField(_("applies from"), validators=[validate_plausible_date])

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("scale"), FieldPanel("effective_from")]),
        InlinePanel("questions", heading=_("Questions"), label=_("question"), min_num=1),
    ]

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("rating question set")
        verbose_name_plural = _("rating question sets")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def in_force(cls, day: datetime.date) -> QuestionSet | None:
        return cls.objects.filter(effective_from__lte=day).order_by("-effective_from").first()


class Question(Orderable):
    """One question; ``is_overall`` marks the one the satisfaction ratio counts."""

    question_set = ParentalKey(QuestionSet, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("code"), max_length=30)
    text_vi = models.CharField(_("question (Vietnamese)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300)
    is_overall = models.BooleanField(_("overall satisfaction"), default=False)

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("is_overall")]),
        FieldPanel("text_vi"),
        FieldPanel("text_en"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text_vi


class ServiceDesk(ClusterableModel):
    """A one-stop desk (bộ phận một cửa) of a unit, with the officers who serve there.

    ``api_token_hash`` authenticates the dossier system that sends receipts; the
    ``kiosk_secret_hash`` authenticates the tablet on the counter. Only hashes are kept.
    """

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="service_desks", verbose_name=_("unit")
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    officers = ParentalManyToManyField(
        Staff, related_name="service_desks", blank=True, verbose_name=_("officers")
    )
    api_token_hash = models.CharField(max_length=128, blank=True, editable=False)
    kiosk_secret_hash = models.CharField(max_length=128, blank=True, editable=False)
    kiosk_receipt = models.ForeignKey(
        "Receipt",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    active = models.BooleanField(_("active"), default=True)

    panels = [
        FieldPanel("unit"),
        FieldRowPanel([FieldPanel("code"), FieldPanel("active")]),
        FieldPanel("name"),
        FieldPanel("officers"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("service desk")
        verbose_name_plural = _("service desks")

    def __str__(self) -> str:
        return self.name


class Receipt(models.Model):
    """One transaction at a desk: the dossier, who served, and the rating token.

    ``token`` (in the QR code) and ``short_code`` (typed by hand) are random, unique,
    and unrelated to the dossier code; both stop working after ``expires_at`` or once
    the receipt is rated.
    """

    desk = models.ForeignKey(
        ServiceDesk, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("desk")
    )
    officer = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("officer")
    )
    dossier_code = models.CharField(_("dossier code"), max_length=60)
    procedure = models.CharField(_("procedure"), max_length=300)
    issued_on = models.DateField(
        _("date"), default=timezone.localdate, validators=[validate_plausible_date]
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    short_code = models.CharField(_("short code"), max_length=12, unique=True, editable=False)
    expires_at = models.DateTimeField(_("rating possible until"), editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "dossier_code"],
                name="one_receipt_per_dossier_and_desk",
                violation_error_message=_("This dossier already has a receipt at this desk."),
            )
        ]
        indexes = [models.Index(fields=["desk", "issued_on"], name="receipt_desk_day")]

    def __str__(self) -> str:
        return f"{self.dossier_code} – {self.procedure}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class CitizenRating(models.Model):
    """A citizen's answers about one receipt; at most one per receipt (database-unique).

    ``overall`` is the answer to the question set's overall question and ``satisfied``
    whether it is one of the two best levels, as the national satisfaction index counts.
    """

    class Channel(models.TextChoices):
        LINK = "link", _("QR code or link")
        CODE = "code", _("typed code")
        KIOSK = "kiosk", _("kiosk at the desk")

    class Moderation(models.TextChoices):
        NONE = "none", _("no comment")
        PENDING = "pending", _("waiting for moderation")
        APPROVED = "approved", _("approved")
        HIDDEN = "hidden", _("hidden")

    receipt = models.OneToOneField(
        Receipt, on_delete=models.PROTECT, related_name="rating", verbose_name=_("receipt")
    )
    question_set = models.ForeignKey(
        QuestionSet, on_delete=models.PROTECT, related_name="+", verbose_name=_("questions")
    )
    answers = models.JSONField(_("answers"), default=dict)
    overall = models.PositiveSmallIntegerField(
        _("overall"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    satisfied = models.BooleanField(_("satisfied"))
    comment = models.TextField(_("comment"), blank=True)
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.NONE
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    client_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("rated at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("citizen rating")
        verbose_name_plural = _("citizen ratings")
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5), name="rating_overall_range"
            )
        ]

    def __str__(self) -> str:
        # Never the dossier code or the answers: a label must not identify the citizen.
        return _("citizen rating #%(number)s") % {"number": self.pk}
