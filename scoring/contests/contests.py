"""Contesting a score: filing, who hears it, the decision, and what holds the unit report.

A person who disagrees with the final score of their evaluated sheet contests it in
writing, within ``settings.CONTEST_DAYS`` days after the day it was evaluated (that last
day included), while the month is open and before their unit's month report is
submitted. One contest per sheet: its decision is final.

Who hears it (:func:`decider_for`) is resolved when it is filed and stored:

1. the evaluator's own evaluator: the evaluator's sheet of the same month names a person
   or a council, and that one hears it;
2. otherwise (the sheet was decided by a council; the evaluator has no sheet that month,
   or theirs names nobody, or would name the contesting person) the council whose
   ``contest_scope`` (:class:`~scoring.organisation.models.Council`) is the nearest unit
   at or above the sheet's unit, leaving out the council that decided the sheet.

So the rule is data: the routes that already say who evaluates whom, and one field per
council saying which part of the unit tree it hears contests for. With neither, the
contest cannot be filed and the page says why.

Whoever hears it (a council member for a council) decides with a written reason: the
score stands, or final lines change through :func:`scoring.cycle.sheets.revise_final`,
which recomputes the total and level with the one scoring service. Every filing and
decision is in the sheet's audit log with the total and level before and after.

The unit month report asks :func:`open_contests` and :func:`contest_refusal_for_submission`:
open contests hold its submission. Once the unit has submitted its month
(:mod:`scoring.cycle.closing`), a score can no longer be contested.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from scoring import engine
from scoring.access.policy import is_owner, reads_every_sheet, staff_of
from scoring.calendar.models import Period
from scoring.cycle import closing, sheets
from scoring.cycle.models import Evaluation
from scoring.organisation.models import Council, Staff, Unit

from .models import Contest

State = Contest.State


# --- Who hears a contest ---------------------------------------------------------------


@dataclass(frozen=True)
class Decider:
    """Who hears a contest: a person, or a council (any member records its decision)."""

    staff: Staff | None = None
    council: Council | None = None

    @property
    def name(self) -> str:
        return self.staff.full_name if self.staff else str(self.council)


def decider_for(evaluation: Evaluation) -> Decider | None:
    """Who hears a contest of ``evaluation`` (module docstring); ``None``: nobody is named."""
    return _evaluators_evaluator(evaluation) or _contest_council(evaluation)


def _evaluators_evaluator(evaluation: Evaluation) -> Decider | None:
    if evaluation.council_id or not evaluation.evaluator_id:
        return None
    above = (
        Evaluation.objects.filter(period_id=evaluation.period_id, staff_id=evaluation.evaluator_id)
        .select_related("evaluator", "council")
        .first()
    )
    if above is None:
        return None
    if above.council_id:
        return Decider(council=above.council)
    if above.evaluator_id and above.evaluator_id != evaluation.staff_id:
        return Decider(staff=above.evaluator)
    return None


def _contest_council(evaluation: Evaluation) -> Decider | None:
    unit = evaluation.unit
    step = Unit.steplen
    paths = [unit.path[:end] for end in range(step, len(unit.path) + 1, step)]
    council = (
        Council.objects.filter(contest_scope__path__in=paths)
        .exclude(pk=evaluation.council_id or 0)
        .order_by("-contest_scope__depth", "pk")
        .first()
    )
    return Decider(council=council) if council else None


# --- Filing ----------------------------------------------------------------------------


def last_day(evaluation: Evaluation) -> datetime.date | None:
    """The last day the sheet's score may be contested (``None``: not evaluated)."""
    if evaluation.decided_at is None:
        return None
    decided = timezone.localdate(evaluation.decided_at)
    return decided + datetime.timedelta(days=settings.CONTEST_DAYS)


def unit_month_submitted(period: Period, unit: Unit) -> bool:
    """Whether the unit's month report was submitted to the office."""
    row = closing.unit_month(period, unit)
    return row is not None and row.is_submitted


def latest_contest(evaluation: Evaluation) -> Contest | None:
    """The sheet's contest, if it has one (the latest, should there be several)."""
    return (
        Contest.objects.filter(evaluation_id=evaluation.pk)
        .select_related("decider", "council")
        .order_by("-filed_at", "-pk")
        .first()
    )


def filing_refusal(evaluation: Evaluation, user, today: datetime.date | None = None) -> str | None:
    """Why ``user`` may not contest the score of ``evaluation`` now (None: they may)."""
    if not is_owner(user, evaluation):
        return _("Only the person whose sheet it is may contest its score.")
    if refusal := sheets.closed_refusal(evaluation.period):
        return refusal
    if evaluation.state != Evaluation.State.APPROVED:
        return _("Only an evaluated sheet can be contested.")
    if refusal := _earlier_contest_refusal(evaluation):
        return refusal
    last = last_day(evaluation)
    if last is not None and (today or timezone.localdate()) > last:
        return _(
            "A score can be contested within %(days)s days after its evaluation, until "
            "%(day)s; that time has passed."
        ) % {"days": settings.CONTEST_DAYS, "day": last.strftime("%d/%m/%Y")}
    if unit_month_submitted(evaluation.period, evaluation.unit):
        return _(
            "The unit's month report was already submitted: the score can no longer be contested."
        )
    if decider_for(evaluation) is None:
        return _(
            "Nobody is named to hear contests on this sheet: ask the home-affairs office "
            "to name the council that hears them."
        )
    return None


def _earlier_contest_refusal(evaluation: Evaluation) -> str | None:
    earlier = latest_contest(evaluation)
    if earlier is None:
        return None
    if earlier.is_open:
        return _("Your contest of this score is waiting for a decision.")
    return _("This score was already contested and decided on %(day)s; that decision is final.") % {
        "day": timezone.localtime(earlier.decided_at).strftime("%d/%m/%Y")
    }


@transaction.atomic
def file_contest(evaluation_id: int, user, grounds: str, today=None) -> Contest:
    """``user`` contests the final score of their sheet, for the written ``grounds``."""
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("period", "staff", "unit")
        .get(pk=evaluation_id)
    )
    sheets.refuse(filing_refusal(evaluation, user, today))
    grounds = (grounds or "").strip()
    if not grounds:
        raise ValidationError(
            _("Write the grounds of your contest: what you disagree with, and why.")
        )
    decider = decider_for(evaluation)
    try:
        with transaction.atomic():
            contest = Contest.objects.create(
                evaluation=evaluation,
                filed_by=user,
                grounds=grounds,
                decider=decider.staff,
                council=decider.council,
                old_total=evaluation.final_total,
                old_level=evaluation.level,
            )
    except IntegrityError:
        raise ValidationError(_("Your contest of this score is waiting for a decision.")) from None
    _log(contest, "scoring.contest_filed", user, grounds=grounds, decider=decider.name)
    return contest


# --- Deciding --------------------------------------------------------------------------


def hears(user, contest: Contest) -> bool:
    """``user`` is who hears ``contest`` (its person, or a member of its council), and it
    is not their own score."""
    if contest.evaluation.staff.user_id == user.pk:
        return False
    if contest.decider_id:
        return contest.decider.user_id == user.pk
    return contest.council.members.filter(user=user).exists()


def may_read(user, contest: Contest) -> bool:
    """Who hears it, the office, and the person who filed it."""
    return hears(user, contest) or reads_every_sheet(user) or is_owner(user, contest.evaluation)


def decision_refusal(contest: Contest, user) -> str | None:
    """Why ``user`` may not decide ``contest`` now (None: they may)."""
    if not contest.is_open:
        return _("This contest was already decided.")
    if not hears(user, contest):
        return _("Only whoever hears this contest may decide it.")
    return sheets.closed_refusal(contest.evaluation.period)


def load_contest(contest_id: int, lock: bool = False) -> Contest:
    """One contest with its sheet, person, month and deciders (raises ``DoesNotExist``)."""
    queryset = Contest.objects.select_related(
        "evaluation__period", "evaluation__staff", "evaluation__unit", "decider", "council"
    )
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return queryset.get(pk=contest_id)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the decision."))
    return reason


@transaction.atomic
def uphold(contest_id: int, user, reason: str) -> Contest:
    """The score stands, for ``reason``."""
    contest = load_contest(contest_id, lock=True)
    sheets.refuse(decision_refusal(contest, user))
    reason = _require_reason(reason)
    evaluation = contest.evaluation
    _decide(contest, user, State.UPHELD, reason, evaluation.final_total, evaluation.level)
    return contest


@transaction.atomic
def change_score(
    contest_id: int, user, entries, reason: str, expected_version: int
) -> tuple[Contest, engine.SheetResult]:
    """The final points of ``entries`` (criterion id → (points, comment)) replace the
    sheet's, for ``reason``; the new total and level are the scoring service's."""
    contest = load_contest(contest_id, lock=True)
    sheets.refuse(decision_refusal(contest, user))
    reason = _require_reason(reason)
    data = sheets.load(contest.evaluation_id)
    if not sheets.final_changes(data, entries):
        raise ValidationError(
            _("No final points were changed: to keep the score, decide that it stands.")
        )
    result = sheets.revise_final(data, user, entries, reason, expected_version)
    _decide(contest, user, State.CHANGED, reason, result.total, result.level)
    return contest, result


def _decide(contest: Contest, user, state: str, reason: str, total, level) -> None:
    contest.state = state
    contest.reason = reason
    contest.decided_at = timezone.now()
    contest.decided_by = user
    contest.new_total = total
    contest.new_level = level
    contest.save(
        update_fields=["state", "reason", "decided_at", "decided_by", "new_total", "new_level"]
    )
    _log(contest, f"scoring.contest_{state}", user, reason=reason)


def _log(contest: Contest, action: str, user, **data) -> None:
    """On the sheet's audit log, with the total and level before (and after, once decided)."""
    log(
        instance=contest.evaluation,
        action=action,
        user=user,
        data={
            "contest": contest.pk,
            "old_total": str(contest.old_total),
            "old_level": contest.old_level,
            "new_total": None if contest.new_total is None else str(contest.new_total),
            "new_level": contest.new_level,
            **data,
        },
    )


# --- Lists -----------------------------------------------------------------------------


def _with_sheet(queryset: QuerySet[Contest]) -> QuerySet[Contest]:
    return queryset.select_related(
        "evaluation__period", "evaluation__staff", "evaluation__unit", "decider", "council"
    )


def contests_for(user) -> QuerySet[Contest]:
    """The contests ``user`` hears (every contest for the office), open ones first.

    Their own contests are left out: nobody hears their own.
    """
    queryset = Contest.objects.all()
    if not reads_every_sheet(user):
        councils = Council.objects.filter(members__user=user).values("pk")
        queryset = queryset.filter(Q(decider__user=user) | Q(council__in=councils))
    person = staff_of(user)
    if person is not None:
        queryset = queryset.exclude(evaluation__staff=person)
    waiting_first = Case(When(state=State.OPEN, then=0), default=1)
    return _with_sheet(queryset).order_by(waiting_first, "-filed_at", "-pk")


def has_contests(user) -> bool:
    """Whether ``user`` has contests to hear or read (the menu asks)."""
    return contests_for(user).exists()


def open_contests(period: Period, unit: Unit) -> list[Contest]:
    """The open contests of ``unit``'s sheets for ``period``, oldest first, in one query
    (each with its sheet, person and who hears it)."""
    return list(
        _with_sheet(
            Contest.objects.filter(
                state=State.OPEN, evaluation__period=period, evaluation__unit=unit
            )
        ).order_by("filed_at", "pk")
    )


def contest_refusal_for_submission(period: Period, unit: Unit) -> str | None:
    """Why ``unit``'s month report may not be submitted because of contests (None: none
    is open). Names the people whose contests wait."""
    waiting = open_contests(period, unit)
    if not waiting:
        return None
    names = ", ".join(contest.evaluation.staff.full_name for contest in waiting)
    return ngettext(
        "%(count)s contest is still open: %(names)s. Decide it before submitting the report.",
        "%(count)s contests are still open: %(names)s. Decide them before submitting the report.",
        len(waiting),
    ) % {"count": len(waiting), "names": names}
