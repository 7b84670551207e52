"""A citizen's rating: the receipt a token or code opens, the answers, the limits.

Recording a rating relies on the database's one-rating-per-receipt constraint, so any
number of simultaneous submissions of one token store exactly one rating.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from scoring.lib.addresses import client_network

from .models import CitizenRating, QuestionSet, Receipt
from .receipts import SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH, normalise_code

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class RatingRefused(Exception):
    """Why a rating cannot be recorded; ``code`` picks the page the citizen sees."""

    MESSAGES = {
        "malformed": _("This rating link is not valid. Check the code on your receipt."),
        "unknown": _("No receipt has this code. Check the code on your receipt."),
        "expired": _("The time to rate this transaction has passed."),
        "future": _("This receipt is dated after today: it can be rated from its date."),
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


def receipt_for_token(token: str) -> Receipt:
    """The receipt a token opens, ready to rate; raises :class:`RatingRefused` otherwise."""
    if not TOKEN_PATTERN.match(token or ""):
        raise RatingRefused("malformed")
    receipt = Receipt.objects.select_related("desk__unit", "rating").filter(token=token).first()
    return ready_to_rate(receipt)


def receipt_for_code(code: str) -> Receipt:
    code = normalise_code(code)
    if len(code) != SHORT_CODE_LENGTH or set(code) - set(SHORT_CODE_ALPHABET):
        raise RatingRefused("malformed")
    receipt = Receipt.objects.select_related("desk__unit", "rating").filter(short_code=code).first()
    return ready_to_rate(receipt)


def ready_to_rate(receipt: Receipt | None) -> Receipt:
    """The receipt if it can be rated now; :class:`RatingRefused` says why not."""
    if receipt is None:
        raise RatingRefused("unknown")
    if hasattr(receipt, "rating"):
        raise RatingRefused("used")
    if receipt.is_expired:
        raise RatingRefused("expired")
    if receipt.issued_on > timezone.localdate():
        # However it was made (a script, the shell), a future receipt has had no service.
        raise RatingRefused("future")
    return receipt


# --- Recording -----------------------------------------------------------------------------


def client_hash(address: str) -> str:
    """A salted, keyed hash of the client (its IPv4 address or IPv6 /64): never the
    address itself."""
    key = (settings.RATING_HASH_SALT or settings.SECRET_KEY).encode()
    return hmac.new(key, client_network(address).encode(), hashlib.sha256).hexdigest()


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
    if receipt.issued_on > timezone.localdate():
        raise RatingRefused("future")
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


# --- Moderating comments -------------------------------------------------------------

Moderation = CitizenRating.Moderation
DECISIONS = {"approve": Moderation.APPROVED, "hide": Moderation.HIDDEN}


def moderate(rating_id: int, decision: str, user) -> tuple[CitizenRating, bool]:
    """Approve or hide one comment, writing the change to the audit log.

    Only the ``moderation`` field is saved; the answers and the comment are never
    touched. Returns the rating and whether anything changed.
    """
    new = DECISIONS[decision]
    with transaction.atomic():
        rating = get_object_or_404(
            CitizenRating.objects.select_for_update().exclude(moderation=Moderation.NONE),
            pk=rating_id,
        )
        old = rating.moderation
        if old == new:
            return rating, False
        rating.moderation = new
        rating.save(update_fields=["moderation"])
        log(
            instance=rating,
            action="scoring.moderate",
            user=user,
            title=f"{CitizenRating._meta.verbose_name} #{rating.pk}",
            data={"old": old, "new": new},
        )
    return rating, True
