"""Receipts at the one-stop desk: issuing them, and which desks and officers go together.

A receipt is always made by :func:`issue_receipt`, whether a desk officer types it in the
admin, a day's dossier log is imported, or the dossier system calls the API. Tokens come
from :mod:`secrets` and are unrelated to the dossier code; the short code a citizen may
type uses an alphabet without look-alike characters. Desk officers work only with the
desks they serve at (:func:`serves_at`, the one officer-at-desk check); a user who may
change desks (the home-affairs office, :func:`scoring.access.policy.manages_desks`) works
with every desk.
"""

from __future__ import annotations

import datetime
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scoring.calendar.closed import check_not_closed
from scoring.lib.spreadsheets import DATE_FORMAT
from scoring.organisation.models import Staff

from .models import Receipt, ServiceDesk

SHORT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
SHORT_CODE_LENGTH = 8
RECENT_PROCEDURES = 200  # receipts looked at to suggest procedures


def new_short_code() -> str:
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """Codes are typed by hand: ignore case, spaces and dashes."""
    return re.sub(r"[\s-]", "", raw or "").upper()


def format_short_code(code: str) -> str:
    """Shown in two groups of four, easier to read out and to type."""
    return f"{code[:4]}-{code[4:]}"


def issue_receipt(
    desk: ServiceDesk,
    officer: Staff,
    dossier_code: str,
    procedure: str,
    issued_on: datetime.date | None = None,
) -> Receipt:
    """Create a receipt with a fresh token and short code (retrying the rare collision)."""
    issued_on = issued_on or timezone.localdate()
    expires_at = timezone.now() + datetime.timedelta(days=settings.RATING_TOKEN_DAYS)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Receipt.objects.create(
                    desk=desk,
                    officer=officer,
                    dossier_code=dossier_code.strip(),
                    procedure=procedure.strip(),
                    issued_on=issued_on,
                    token=secrets.token_urlsafe(32),
                    short_code=new_short_code(),
                    expires_at=expires_at,
                )
        except IntegrityError:
            if Receipt.objects.filter(desk=desk, dossier_code=dossier_code.strip()).exists():
                raise
    raise IntegrityError("could not draw a unique rating code")


# --- Who works with which desk ------------------------------------------------------------


NOT_AT_DESK = _("%(officer)s does not serve at the desk “%(desk)s”.")


def serves_at(desk: ServiceDesk, officer: Staff) -> bool:
    """Whether ``officer`` is one of the desk's officers (one query)."""
    return desk.officers.filter(pk=officer.pk).exists()


def check_serves_at(desk: ServiceDesk, officer: Staff, officer_ids: set[int] | None = None) -> None:
    """Refuse a receipt of ``desk`` received by someone who does not serve there.

    ``officer_ids`` are the desk's officers, for a caller that checks many rows at once.
    """
    serving = officer.pk in officer_ids if officer_ids is not None else serves_at(desk, officer)
    if not serving:
        raise ValidationError(
            NOT_AT_DESK % {"officer": officer, "desk": desk.name}, code="not_at_desk"
        )


def recent_procedures(desks: models.QuerySet[ServiceDesk]) -> list[str]:
    """Procedures of the desks' latest receipts, most recent first, each once."""
    names = (
        Receipt.objects.filter(desk__in=desks.values("pk"))
        .order_by("-pk")
        .values_list("procedure", flat=True)[:RECENT_PROCEDURES]
    )
    return list(dict.fromkeys(names))


def check_issued_on(day: datetime.date | None, closed: set[tuple[int, int]] | None = None) -> None:
    """A receipt cannot be dated after today, nor inside a closed month.

    ``closed`` as in :func:`scoring.calendar.closed.check_not_closed`, for imports.
    """
    if day and day > timezone.localdate():
        raise ValidationError(
            _("The date %(date)s is in the future.") % {"date": day.strftime(DATE_FORMAT)},
            code="future",
        )
    check_not_closed(day, _("a receipt"), closed)
