"""The demo's past: the months before this one, played through, locked and released.

The six months before last month are locked (every sheet scored and frozen, every unit
submitted) and released to the public: prepared by the office's demo officer
(``noivu``), approved by the administrator, as four eyes ask. One of them was corrected
the way a real office would: reopened with a reason, one unit reopened, a score revised,
submitted and locked again, and released again with a correction note. Last month is
evaluated and most units have submitted; a few have not, so the office's locality report
has something to chase. Each month runs once (a month that exists is left as it is).
Points are entered as people and evaluators would: every hand-scored line gets
self-assessed and final points, every sheet a small work plan; totals and levels come
from the scoring service.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from scoring.calendar.models import Period
from scoring.criteria.models import WorkProduct
from scoring.cycle import closing, periods, sheets
from scoring.cycle.models import CriterionScore, Evaluation, WorkItem
from scoring.lib.months import month_bounds
from scoring.oversight import submission
from scoring.oversight.month_report import month_report
from scoring.oversight.quota import record_decision
from scoring.publishing import releases

UNSUBMITTED = 3  # units of last month that have not sent their report yet
LATE_UNITS = "Quá hạn tổng hợp; các đơn vị chưa nộp bổ sung báo cáo vào tháng sau."


def previous_month(year: int, month: int, back: int) -> tuple[int, int]:
    index = year * 12 + month - 1 - back
    return index // 12, index % 12 + 1


LOCKED_MONTHS = 6
CORRECTED_BACK = 4  # which of the locked months (counted back from this one) was corrected


def play_demo_history(today: datetime.date | None = None) -> list[Period]:
    """Play the previous months (once each); returns the months made."""
    today = today or timezone.localdate()
    made = []
    for back in range(LOCKED_MONTHS + 1, 0, -1):
        year, month = previous_month(today.year, today.month, back)
        if Period.objects.filter(year=year, month=month).exists():
            continue
        period = _play(year, month, back > 1, random.Random(year * 100 + month))
        if back > 1:
            _release(period, correct=back == CORRECTED_BACK)
        made.append(period)
    return made


def _officers():
    User = get_user_model()
    return User.objects.get(username="noivu"), User.objects.get(username="admin")


def _release(period: Period, correct: bool) -> None:
    """Prepared by the office's officer, approved by the administrator, public on the
    release calendar's day (or now, had that day not come yet)."""
    preparer, approver = _officers()
    when = min(
        timezone.now(),
        releases.default_schedule(period, datetime.datetime.min.replace(tzinfo=datetime.UTC)),
    )
    releases.approve(releases.prepare(period, preparer, when), approver)
    if correct:
        period = _correct(period, preparer)
        note = "Đính chính điểm của một công chức sau khi giải quyết khiếu nại."
        later = min(timezone.now(), when + datetime.timedelta(days=3))
        releases.approve(releases.prepare(period, preparer, later, note), approver)


def _correct(period: Period, officer) -> Period:
    """Reopen the month and one unit, revise one final score, submit and lock again."""
    period = closing.reopen_month(
        period, officer, "Giải quyết khiếu nại về điểm của một công chức."
    )
    sheet = (
        Evaluation.objects.filter(period=period, state=Evaluation.State.APPROVED)
        .order_by("final_total", "pk")
        .first()
    )
    closing.reopen_unit_month(period, sheet.unit, officer, "Điều chỉnh điểm sau khiếu nại.")
    data = sheets.load(sheet.pk)
    entries = {
        score.criterion_id: (score.self_points, "Chấp nhận khiếu nại")
        for score in data.scores.values()
        if score.self_points is not None and score.self_points != score.final_points
    }
    if entries:
        sheets.revise_final(
            data, officer, entries, "Khiếu nại được chấp nhận.", data.evaluation.version
        )
    submission.submit(month_report(sheet.unit, period), None)
    return periods.close_period(period, user=officer)


@transaction.atomic
def _play(year: int, month: int, lock: bool, rng: random.Random) -> Period:
    period = periods.open_period(year, month).period
    periods.advance_period(period, Period.State.EVALUATION)
    first, last = month_bounds(year, month)
    evaluations = list(
        Evaluation.objects.filter(period=period)
        .exclude(state=Evaluation.State.EXCUSED)
        .select_related("criteria_set")
        .prefetch_related(sheets.criteria_prefetch())
    )
    products = list(WorkProduct.objects.filter(active=True))
    items, scores = [], []
    for evaluation in evaluations:
        items += _plan(evaluation, products, first, last, rng)
        scores += _points(evaluation, rng)
    WorkItem.objects.bulk_create(items, batch_size=2000)
    CriterionScore.objects.bulk_create(scores, batch_size=2000)
    now = timezone.now()  # last month's deadlines may still be ahead
    handed_in = min(now, _at(min(period.self_deadline, last + datetime.timedelta(days=2)), 9))
    decided = min(now, _at(min(period.evaluation_deadline, last + datetime.timedelta(days=4)), 15))
    Evaluation.objects.filter(pk__in=[e.pk for e in evaluations]).update(
        state=Evaluation.State.APPROVED, submitted_at=handed_in, decided_at=decided
    )
    periods.freeze_results(period)
    _self_totals(period)
    units = closing.month_units(period)
    keep_back = [] if lock else units[-UNSUBMITTED:]
    for unit in units:
        if unit in keep_back:
            continue
        report = month_report(unit, period)
        if report.quota.broken:
            _decide_quota(report)
            report = month_report(unit, period)
        if submission.submission_refusal(report) is None:
            submission.submit(report, None)
    if lock:
        exception = "" if not closing.unsubmitted_units(period) else LATE_UNITS
        period = periods.close_period(period, exception=exception)
    return period


def _decide_quota(report) -> None:
    """The head keeps level 1 for the best totals within the cap, as most heads would."""
    for group in report.quota.groups:
        if not group.broken:
            continue
        moving = {row.evaluation_id for row in group.margin}
        keep = {row.evaluation_id for row in group.ranked} - moving
        reason = "Giữ mức xuất sắc cho những người có điểm cao nhất trong tỷ lệ cho phép."
        record_decision(report.unit, report.period, group.key, keep, reason, None)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _plan(evaluation, products, first, last, rng) -> list[WorkItem]:
    return [
        WorkItem(
            evaluation=evaluation,
            product=rng.choice(products),
            quantity=Decimal(rng.randint(1, 3)),
            deadline=first + datetime.timedelta(days=rng.randint(4, (last - first).days)),
            done=rng.random() < 0.93,
            delays=rng.choice([0, 0, 0, 0, 1]),
        )
        for _ in range(rng.randint(2, 4))
    ]


def _points(evaluation: Evaluation, rng: random.Random) -> list[CriterionScore]:
    """Self-assessed points a little generous, final points at or under them."""
    lines = []
    strength = rng.choice([1, 3, 4, 5, 5, 6, 6, 8, 12])  # most do well, a few excel or less
    for criterion in sheets.set_criteria(evaluation.criteria_set):
        if criterion.kind != "manual":
            continue
        top = criterion.max_points
        own = max(Decimal(0), top - Decimal(rng.randint(0, strength)))
        final = max(Decimal(0), own - Decimal(rng.choice([0, 0, 0, 1])))
        reason = "" if final == own else "Chưa đạt đầy đủ yêu cầu"
        lines.append(
            CriterionScore(
                evaluation=evaluation,
                criterion=criterion,
                self_points=own,
                final_points=final,
                final_comment=reason,
            )
        )
    return lines


def _self_totals(period: Period) -> None:
    """The self-assessed totals, from the same scoring service as the final ones."""
    changed = []
    for evaluation in Evaluation.objects.filter(period=period).exclude(
        state=Evaluation.State.EXCUSED
    ):
        evaluation.self_total = sheets.score(sheets.load(evaluation.pk), "self").total
        changed.append(evaluation)
    Evaluation.objects.bulk_update(changed, ["self_total"], batch_size=1000)
