"""A desk's secrets (its API token and kiosk secret) and its counter kiosk."""

from __future__ import annotations

import hashlib
import secrets

from .models import Receipt, ServiceDesk
from .rating import RatingRefused, ready_to_rate

# --- Desk secrets ---------------------------------------------------------------------------


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_desk_secret(desk: ServiceDesk, field: str) -> str:
    """Make a new API token or kiosk secret for a desk; only its hash is stored.

    The returned value is shown once, to be copied into the dossier system or kiosk.
    """
    secret = secrets.token_urlsafe(32)
    setattr(desk, field, _digest(secret))
    desk.save(update_fields=[field])
    return secret


def desk_for_secret(secret: str, field: str) -> ServiceDesk | None:
    if not secret:
        return None
    return ServiceDesk.objects.filter(active=True, **{field: _digest(secret)}).first()


# --- Kiosk -----------------------------------------------------------------------------------


def release_to_kiosk(desk: ServiceDesk, receipt: Receipt) -> None:
    """The officer hands the counter tablet to the citizen for this receipt."""
    if receipt.desk_id != desk.pk:
        raise ValueError("receipt of another desk")
    ServiceDesk.objects.filter(pk=desk.pk).update(kiosk_receipt=receipt)
    desk.kiosk_receipt = receipt


def kiosk_receipt(desk: ServiceDesk) -> Receipt | None:
    """The receipt the kiosk should show now: released, not yet rated, not expired."""
    receipt = (
        Receipt.objects.select_related("desk__unit", "rating")
        .filter(pk=desk.kiosk_receipt_id)
        .first()
        if desk.kiosk_receipt_id
        else None
    )
    try:
        return ready_to_rate(receipt)
    except RatingRefused:
        return None


def finish_kiosk(desk: ServiceDesk, receipt: Receipt) -> None:
    """After the rating, the kiosk goes back to its waiting screen."""
    ServiceDesk.objects.filter(pk=desk.pk, kiosk_receipt=receipt).update(kiosk_receipt=None)
