"""Citizen ratings: issuing receipts with one-time tokens, recording a rating, limits.

Tokens come from :mod:`secrets` and are unrelated to the dossier code; the short code a
citizen may type uses an alphabet without look-alike characters. Recording a rating
relies on the database's one-rating-per-receipt constraint, so any number of
simultaneous submissions of one token store exactly one rating.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scoring.models import CitizenRating, QuestionSet, Receipt, ServiceDesk, Staff

SHORT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
SHORT_CODE_LENGTH = 8
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class RatingRefused(Exception):
    """Why a rating cannot be recorded; ``code`` picks the page the citizen sees."""

    MESSAGES = {
        "malformed": _("This rating link is not valid. Check the code on your receipt."),
        "unknown": _("No receipt has this code. Check the code on your receipt."),
        "expired": _("The time to rate this transaction has passed."),
        "used": _("This transaction has already been rated. Thank you!"),
        "invalid": _("Some answers are missing or not allowed."),
        "limited": _("Too many attempts from your connection. Please wait a few minutes."),
    }

    def __init__(self, code: str, detail: str = ""):
        super().__init__(code)
        self.code = code
        self.detail = detail

    @property
    def message(self) -> str:
        return str(self.MESSAGES[self.code])


# --- Receipts ----------------------------------------------------------------------------


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


def receipt_for_token(token: str) -> Receipt:
    """The receipt a token opens, ready to rate; raises :class:`RatingRefused` otherwise."""
    if not TOKEN_PATTERN.match(token or ""):
        raise RatingRefused("malformed")
    receipt = Receipt.objects.select_related("desk__unit", "rating").filter(token=token).first()
    return _ready(receipt)


def receipt_for_code(code: str) -> Receipt:
    code = normalise_code(code)
    if len(code) != SHORT_CODE_LENGTH or set(code) - set(SHORT_CODE_ALPHABET):
        raise RatingRefused("malformed")
    receipt = Receipt.objects.select_related("desk__unit", "rating").filter(short_code=code).first()
    return _ready(receipt)


def _ready(receipt: Receipt | None) -> Receipt:
    if receipt is None:
        raise RatingRefused("unknown")
    if hasattr(receipt, "rating"):
        raise RatingRefused("used")
    if receipt.is_expired:
        raise RatingRefused("expired")
    return receipt


# --- Recording -----------------------------------------------------------------------------


def client_hash(address: str) -> str:
    """A salted, keyed hash of the client address: never the address itself."""
    key = (settings.RATING_HASH_SALT or settings.SECRET_KEY).encode()
    return hmac.new(key, (address or "").encode(), hashlib.sha256).hexdigest()


def allow(kind: str, client: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt of ``kind`` for ``client``; False past ``limit`` in the window.

    Stored in the cache, so with a shared cache (Redis) the limit holds across all app
    servers.
    """
    key = f"ratings:{kind}:{client}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit


@dataclass
class Answers:
    values: dict[str, int]
    overall: int
    satisfied: bool


def check_answers(question_set: QuestionSet, raw: dict[str, str]) -> Answers:
    """Every question answered with a level of the set's scale, or refused."""
    values = {}
    overall = None
    for question in question_set.questions.all():
        try:
            value = int(raw.get(question.code, ""))
        except (TypeError, ValueError):
            raise RatingRefused("invalid", question.code) from None
        if not 1 <= value <= question_set.scale:
            raise RatingRefused("invalid", question.code)
        values[question.code] = value
        if question.is_overall:
            overall = value
    if overall is None:
        overall = min(values.values()) if values else 1
    return Answers(values, overall, overall >= question_set.scale - 1)


def record_rating(
    receipt: Receipt,
    question_set: QuestionSet,
    raw_answers: dict[str, str],
    comment: str,
    channel: str,
    client: str,
) -> CitizenRating:
    """Store one rating for the receipt; a second one is refused and stores nothing."""
    answers = check_answers(question_set, raw_answers)
    comment = (comment or "").strip()[: settings.RATING_COMMENT_MAX_LENGTH]
    try:
        with transaction.atomic():
            return CitizenRating.objects.create(
                receipt=receipt,
                question_set=question_set,
                answers=answers.values,
                overall=answers.overall,
                satisfied=answers.satisfied,
                comment=comment,
                moderation=(
                    CitizenRating.Moderation.PENDING if comment else CitizenRating.Moderation.NONE
                ),
                channel=channel,
                client_hash=client,
            )
    except IntegrityError:
        raise RatingRefused("used") from None


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
    if receipt is None or hasattr(receipt, "rating") or receipt.is_expired:
        return None
    return receipt


def finish_kiosk(desk: ServiceDesk, receipt: Receipt) -> None:
    """After the rating, the kiosk goes back to its waiting screen."""
    ServiceDesk.objects.filter(pk=desk.pk, kiosk_receipt=receipt).update(kiosk_receipt=None)
