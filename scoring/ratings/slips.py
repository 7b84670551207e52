"""The printed slip of a receipt: its rating address, short code and QR code."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from scoring.lib.qr import qr_svg

from .models import Receipt
from .receipts import format_short_code

RATING_PATH = "/rate/"  # where a citizen types a short code (the public rating app)


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
