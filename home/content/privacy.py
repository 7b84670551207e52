"""What the privacy notice says, read from the settings and data in force.

The figures a visitor is told (how long an address hash is kept, how long a rating code
works, the rate limits, the open data's suppression minimum, the questions a rating
asks) are the ones the portal applies, so the notice cannot drift from the code:
change ``RATING_ADDRESS_DAYS`` and the page says the new number.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation

from scoring.publishing.figures import minimum
from scoring.ratings.models import QuestionSet

SLUGS = {"vi": "quyen-rieng-tu", "en": "privacy"}


@dataclass(frozen=True)
class PrivacyFacts:
    """The numbers and questions the notice states."""

    address_days: int
    token_days: int
    comment_length: int
    submit_limit: int
    limit_minutes: int
    minimum: int
    questions: list[str]
    login_failures: int


def questions_in_force(language: str) -> list[str]:
    """The questions a rating asks today, in ``language`` (one query)."""
    found = QuestionSet.in_force(timezone.localdate())
    if found is None:
        return []
    return [q.text_en if language == "en" else q.text_vi for q in found.questions.all()]


def facts() -> PrivacyFacts:
    return PrivacyFacts(
        address_days=settings.RATING_ADDRESS_DAYS,
        token_days=settings.RATING_TOKEN_DAYS,
        comment_length=settings.RATING_COMMENT_MAX_LENGTH,
        submit_limit=settings.RATING_SUBMIT_LIMIT,
        limit_minutes=max(1, settings.RATING_LIMIT_WINDOW // 60),
        minimum=minimum(),
        questions=questions_in_force(translation.get_language() or settings.LANGUAGE_CODE),
        login_failures=settings.AXES_FAILURE_LIMIT,
    )


def privacy_path(language: str) -> str:
    """The notice's address in ``language`` (``/quyen-rieng-tu/``, ``/en/privacy/``),
    without a query: the footer and the rating form link to it on every page."""
    prefix = "/en/" if language == "en" else "/"
    return f"{prefix}{SLUGS.get(language, SLUGS['vi'])}/"
