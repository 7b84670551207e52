"""Receipts at the one-stop desk: who may issue them, the printed slip, the dossier-log import.

A receipt is always made by :func:`scoring.ratings.issue_receipt`, whether a desk officer
types it in the admin, a day's dossier log is imported, or the dossier system calls the
API. Desk officers work only with the desks they serve at; a user who may change desks
(the home-affairs office) works with every desk.

Nothing here tells a desk officer whether a given receipt was rated: an officer who could
see "rated" next to a dossier code would know which citizen rated. Officers see only
monthly counts per desk (:func:`month_counts`), and only once a desk has enough receipts
for the count to say nothing about any one citizen.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from import_export import fields
from import_export.results import RowResult

from scoring.models import Receipt, ServiceDesk, Staff
from scoring.ratings import format_short_code, issue_receipt
from scoring.spreadsheets import (
    DATE_FORMAT,
    HEADER_ROW,
    CodeWidget,
    DateWidget,
    SpreadsheetResource,
    TextWidget,
)

MANAGE_DESKS = "scoring.change_servicedesk"
RATING_PATH = "/rate/"  # where a citizen types a short code (the public rating app)
MIN_RECEIPTS_FOR_COUNTS = 10  # fewer receipts in a month: rating counts are not shown
RECENT_PROCEDURES = 200  # receipts looked at to suggest procedures

# --- Who works with which desk ------------------------------------------------------------


def manages_desks(user: Any) -> bool:
    """The home-affairs office (anyone who may change desks) works with every desk."""
    return bool(user.is_authenticated and user.has_perm(MANAGE_DESKS))


def desks_for(user: Any) -> models.QuerySet[ServiceDesk]:
    """The desks ``user`` works with: every desk for the office, else those they serve at."""
    desks = ServiceDesk.objects.select_related("unit")
    if manages_desks(user):
        return desks.all()
    if not user.is_authenticated:
        return desks.none()
    return desks.filter(officers__user=user)


def receipts_for(user: Any) -> models.QuerySet[Receipt]:
    """The receipts of the desks ``user`` works with."""
    receipts = Receipt.objects.select_related("desk__unit", "officer")
    if manages_desks(user):
        return receipts.all()
    return receipts.filter(desk__in=desks_for(user).values("pk"))


def officers_of(desks: models.QuerySet[ServiceDesk]) -> models.QuerySet[Staff]:
    return Staff.objects.filter(service_desks__in=desks.values("pk")).distinct()


def staff_of(user: Any) -> Staff | None:
    """The staff member whose login ``user`` is, if any."""
    if not user.is_authenticated:
        return None
    return Staff.objects.filter(user=user).first()


def serves_at(desk: ServiceDesk, officer: Staff) -> bool:
    return desk.officers.filter(pk=officer.pk).exists()


def recent_procedures(desks: models.QuerySet[ServiceDesk]) -> list[str]:
    """Procedures of the desks' latest receipts, most recent first, each once."""
    names = (
        Receipt.objects.filter(desk__in=desks.values("pk"))
        .order_by("-pk")
        .values_list("procedure", flat=True)[:RECENT_PROCEDURES]
    )
    return list(dict.fromkeys(names))


def check_issued_on(day: datetime.date | None) -> None:
    """A receipt cannot be dated after today."""
    if day and day > timezone.localdate():
        raise ValidationError(
            _("The date %(date)s is in the future.") % {"date": day.strftime(DATE_FORMAT)},
            code="future",
        )


# --- The rating address and the slip ---------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def rating_url(receipt: Receipt) -> str:
    """The absolute address of the receipt's rating page (what the QR code holds)."""
    try:
        path = reverse("ratings:rate", args=[receipt.token])
    except NoReverseMatch:  # the public rating app is not installed yet
        path = f"{RATING_PATH}{receipt.token}/"
    return _absolute(path)


def rating_entry_url() -> str:
    """The address where a citizen types the short code instead of scanning."""
    try:
        path = reverse("ratings:enter_code")
    except NoReverseMatch:
        path = RATING_PATH
    return _absolute(path)


def kiosk_setup_url() -> str | None:
    """The address a counter tablet opens once to take its desk's kiosk secret."""
    try:
        return _absolute(reverse("ratings:kiosk_setup"))
    except NoReverseMatch:
        return None


def qr_svg(data: str) -> SafeString:
    """``data`` as an inline SVG QR code that scales to its box (no image to fetch)."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
        image_factory=qrcode.image.svg.SvgPathImage,
    )
    code.add_data(data)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    # The factory writes a size in millimetres; the page's CSS sizes the code instead.
    opening, rest = svg.split(">", 1)
    opening = re.sub(r'\s(?:width|height)="[^"]*"', "", opening)
    return mark_safe(f'{opening} aria-hidden="true">{rest}')


@dataclass
class Slip:
    """What a printed slip shows for one receipt."""

    receipt: Receipt
    unit_name: str
    desk_name: str
    rating_url: str
    entry_url: str
    short_code: str
    qr: SafeString

    @property
    def expires_at(self) -> datetime.datetime:
        return timezone.localtime(self.receipt.expires_at)


def slip_for(receipt: Receipt) -> Slip:
    url = rating_url(receipt)
    return Slip(
        receipt=receipt,
        unit_name=receipt.desk.unit.name,
        desk_name=receipt.desk.name,
        rating_url=url,
        entry_url=rating_entry_url(),
        short_code=format_short_code(receipt.short_code),
        qr=qr_svg(url),
    )


# --- What a desk officer may know about ratings ------------------------------------------------


@dataclass
class DeskCounts:
    """A desk's receipts this month and, when there are enough, how many were rated.

    Ratings are counted up to the end of yesterday, so the figure never moves while a
    citizen who has just left the counter rates.
    """

    desk: ServiceDesk
    receipts: int
    ratings: int | None

    @property
    def percent(self) -> int | None:
        if self.ratings is None or not self.receipts:
            return None
        return round(100 * self.ratings / self.receipts)


def month_counts(desks: models.QuerySet[ServiceDesk], today: datetime.date) -> list[DeskCounts]:
    """Per desk: receipts issued this month and ratings received for them until yesterday."""
    start_of_today = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    rows = (
        Receipt.objects.filter(
            desk__in=desks.values("pk"), issued_on__gte=today.replace(day=1), issued_on__lte=today
        )
        .values("desk")
        .annotate(
            receipts=Count("pk"),
            ratings=Count("rating", filter=Q(rating__created_at__lt=start_of_today)),
        )
    )
    by_desk = {row["desk"]: row for row in rows}
    counts = []
    for desk in desks.order_by("name"):
        row = by_desk.get(desk.pk, {"receipts": 0, "ratings": 0})
        enough = row["receipts"] >= MIN_RECEIPTS_FOR_COUNTS
        counts.append(DeskCounts(desk, row["receipts"], row["ratings"] if enough else None))
    return counts


# --- Importing a day's dossier log ------------------------------------------------------------

DOSSIER_CODE = "Mã hồ sơ"
PROCEDURE = "Thủ tục"
OFFICER_CODE = "Mã cán bộ"
RECEIVED_ON = "Ngày tiếp nhận"

UNKNOWN_OFFICER = _("Unknown staff code “%(code)s”.")
NOT_AT_DESK = _("%(officer)s does not serve at the desk “%(desk)s”.")
ALREADY_ISSUED = _(
    "Dossier “%(code)s” already has a receipt at this desk, dated %(date)s for "
    "“%(procedure)s” by %(officer)s; the row differs from it."
)


class ReceiptResource(SpreadsheetResource):
    """One receipt per row of a desk's dossier log; the desk is chosen on the upload form.

    A dossier that already has the same receipt at the desk is skipped (so importing a
    file again creates nothing); one whose stored receipt differs is refused. New rows
    are created through :func:`issue_receipt`, each with its own token and short code.
    """

    dossier_code = fields.Field(
        attribute="dossier_code", column_name=DOSSIER_CODE, widget=TextWidget()
    )
    procedure = fields.Field(attribute="procedure", column_name=PROCEDURE, widget=TextWidget())
    officer = fields.Field(
        attribute="officer", column_name=OFFICER_CODE, widget=CodeWidget(Staff, UNKNOWN_OFFICER)
    )
    issued_on = fields.Field(attribute="issued_on", column_name=RECEIVED_ON, widget=DateWidget())

    required_columns = (DOSSIER_CODE, PROCEDURE, OFFICER_CODE, RECEIVED_ON)
    required_cells = required_columns
    clean_exclude = ("desk", "token", "short_code", "expires_at")
    duplicate_code = _(
        "Dossier code “%(code)s” appears more than once in the file (first on row %(row)s)."
    )

    class Meta:
        model = Receipt
        fields = ("dossier_code", "procedure", "officer", "issued_on")
        import_id_fields = ("dossier_code",)
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, desk: ServiceDesk | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.desk = desk
        self.officer_ids: set[int] = set()
        self.created: list[int] = []
        self.already_issued: set[int] = set()  # spreadsheet rows skipped as already issued

    def get_queryset(self) -> models.QuerySet[Receipt]:
        return Receipt.objects.filter(desk=self.desk).select_related("officer")

    def init_instance(self, row: dict | None = None) -> Receipt:
        return Receipt(desk=self.desk)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.officer_ids = set(self.desk.officers.values_list("pk", flat=True))
        self.created, self.already_issued = [], set()

    def after_init_instance(self, instance, new, row, **kwargs):
        if not new:
            instance.stored = (instance.procedure, instance.officer_id, instance.issued_on)
            instance.stored_officer = instance.officer

    def check_row(self, instance: Receipt, errors: dict[str, list]) -> None:
        if "issued_on" not in errors:
            try:
                check_issued_on(instance.issued_on)
            except ValidationError as error:
                errors["issued_on"] = error.messages
        if "officer" not in errors and instance.officer_id not in self.officer_ids:
            errors["officer"] = [
                NOT_AT_DESK % {"officer": instance.officer, "desk": self.desk.name}
            ]
        if errors or instance.pk is None:
            return
        if (instance.procedure, instance.officer_id, instance.issued_on) != instance.stored:
            procedure, _officer, day = instance.stored
            errors["dossier_code"] = [
                ALREADY_ISSUED
                % {
                    "code": instance.dossier_code,
                    "date": day.strftime(DATE_FORMAT),
                    "procedure": procedure,
                    "officer": instance.stored_officer,
                }
            ]

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # An existing receipt gets here only when check_row found it identical to the row.
        return not import_validation_errors and instance.pk is not None

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        if row_result.import_type == RowResult.IMPORT_TYPE_SKIP and row_result.object_id:
            self.already_issued.add(kwargs["row_number"] + HEADER_ROW)

    def do_instance_save(self, instance: Receipt, is_create: bool) -> None:
        if not is_create:  # existing receipts are only ever skipped
            raise ValueError("an imported receipt is never updated")
        issued = issue_receipt(
            self.desk,
            instance.officer,
            instance.dossier_code,
            instance.procedure,
            instance.issued_on,
        )
        for name in ("pk", "dossier_code", "procedure", "token", "short_code", "expires_at"):
            setattr(instance, name, getattr(issued, name))
        instance.created_at = issued.created_at
        self.created.append(issued.pk)
