"""Citizen-rating figures for the admin: answer words, tallies, and who sees which desks."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from scoring import rating_stats
from scoring.admin.month import staff_of
from scoring.models import Assignment, CitizenRating, QuestionSet, ServiceDesk, Staff
from scoring.rating_stats import Figures

Moderation = CitizenRating.Moderation

# --- Answer levels -------------------------------------------------------------------

# The words of each level, best first, as citizens read them (DOMAIN.md): three levels,
# or five on portals that add "Bình thường" and "Rất không hài lòng".
LEVEL_WORDS = {
    "very_satisfied": gettext_lazy("Very satisfied"),
    "satisfied": gettext_lazy("Satisfied"),
    "neutral": gettext_lazy("Neutral"),
    "not_satisfied": gettext_lazy("Not satisfied"),
    "very_dissatisfied": gettext_lazy("Very dissatisfied"),
}
SCALE_WORDS = {
    3: {3: "very_satisfied", 2: "satisfied", 1: "not_satisfied"},
    5: {
        5: "very_satisfied",
        4: "satisfied",
        3: "neutral",
        2: "not_satisfied",
        1: "very_dissatisfied",
    },
}
TENTH = Decimal("0.1")


def level_word(scale: int, level: int) -> str:
    """The word for answer ``level`` on a 3- or 5-level scale ("" when off the scale)."""
    key = SCALE_WORDS.get(scale, {}).get(level)
    return str(LEVEL_WORDS[key]) if key else ""


def words_in_use(scales) -> list[str]:
    """The level keys of the given scales, best first (3 words, or 5 when a set has 5)."""
    used = {key for scale in scales for key in SCALE_WORDS.get(scale, {}).values()}
    return [key for key in LEVEL_WORDS if key in used]


def percent(ratio: Decimal | None) -> Decimal | None:
    """A ratio 0..1 as a percentage with one decimal (None stays None: nothing to divide)."""
    if ratio is None:
        return None
    return (ratio * 100).quantize(TENTH, rounding=ROUND_HALF_UP)


# --- Figures -----------------------------------------------------------------------------


class Tally(Figures):
    """Figures with the count at each level word, so 3- and 5-level sets add up."""

    @property
    def words(self) -> dict[str, int]:
        words: dict[str, int] = defaultdict(int)
        for (scale, level), count in self.scale_levels.items():
            word = SCALE_WORDS.get(scale, {}).get(level)
            if word:
                words[word] += count
        return dict(words)

    def word_share(self, key: str) -> Decimal | None:
        return Decimal(self.words.get(key, 0)) / self.ratings if self.ratings else None

    def shares(self, keys: list[str]) -> list[dict]:
        """Each level with its word, count and share in percent, best first."""
        words = self.words
        return [
            {
                "key": key,
                "word": LEVEL_WORDS[key],
                "count": words.get(key, 0),
                "percent": percent(Decimal(words.get(key, 0)) / self.ratings)
                if self.ratings
                else None,
            }
            for key in keys
        ]


def tally(receipts: QuerySet, ratings: QuerySet, key: str | None = None) -> dict:
    """:func:`scoring.rating_stats.tally` with level words for the admin's pages."""
    return rating_stats.tally(receipts, ratings, key, kind=Tally)


def default_scale(day: datetime.date) -> int:
    question_set = QuestionSet.in_force(day)
    return question_set.scale if question_set else 3


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


# --- Who sees what -------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The desks whose figures a user may see: all, unit subtrees, or named desks.

    Outside the office, figures count the ratings received before today
    (``ratings_before``): an officer who reloads the page after each citizen must not
    see which level that citizen just gave. Today's ratings are shown as a count only.
    """

    everything: bool = False
    unit_paths: tuple[str, ...] = ()
    desk_ids: frozenset[int] = frozenset()
    staff: Staff | None = None
    ratings_before: datetime.datetime | None = None

    def __bool__(self) -> bool:
        return bool(self.everything or self.unit_paths or self.desk_ids)

    def q(self, to_desk: str = "") -> Q:
        """A filter on a model reaching the desk through ``to_desk`` ("desk__", …)."""
        if self.everything:
            return Q()
        condition = Q(**{f"{to_desk}pk__in": sorted(self.desk_ids)})
        for unit_path in self.unit_paths:
            condition |= Q(**{f"{to_desk}unit__path__startswith": unit_path})
        return condition


def is_office(user) -> bool:
    return user.has_perm("scoring.view_citizenrating")


def can_moderate(user) -> bool:
    return user.has_perm("scoring.change_citizenrating")


def scope_for(user) -> Scope:
    """The office sees every desk; a head their unit's tree; an officer their own desks."""
    if not user.is_authenticated:
        return Scope()
    person = staff_of(user)
    if is_office(user):
        return Scope(everything=True, staff=person)
    if person is None:
        return Scope()
    heads = Assignment.objects.filter(
        staff=person, end_date__isnull=True, position__is_head=True
    ).values_list("unit__path", flat=True)
    desks = ServiceDesk.officers.through.objects.filter(staff=person).values_list(
        "servicedesk_id", flat=True
    )
    return Scope(
        unit_paths=tuple(heads),
        desk_ids=frozenset(desks),
        staff=person,
        ratings_before=day_bounds(timezone.localdate())[0],
    )


def scope_of(request) -> Scope:
    """The request user's scope, worked out once per request (the menu asks too)."""
    if not hasattr(request, "_citizen_rating_scope"):
        request._citizen_rating_scope = scope_for(request.user)
    return request._citizen_rating_scope
