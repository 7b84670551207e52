"""Filing a contest: who may, until when, in writing, and who hears it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from scoring.contests import contests
from scoring.models import Contest, Evaluation
from tests.scoring.contests.conftest import sheet_of

pytestmark = pytest.mark.django_db


def evaluated_on(evaluation) -> datetime.date:
    return timezone.localdate(evaluation.decided_at)


def test_the_person_contests_within_the_window_and_the_evaluators_evaluator_hears_it(
    evaluated, people, locality
):
    last = evaluated_on(evaluated) + datetime.timedelta(days=5)
    contest = contests.file_contest(
        evaluated.pk, people["clerk"], "  C1 và C2 chưa đúng thực tế.  ", today=last
    )
    assert contest.state == Contest.State.OPEN
    assert contest.grounds == "C1 và C2 chưa đúng thực tế."
    assert contest.decider == locality["province_chair"] and contest.council is None
    assert (contest.old_total, contest.old_level) == (evaluated.final_total, 2)
    assert contest.filed_by == people["clerk"]


def test_after_the_window_filing_is_refused_naming_the_last_day(evaluated, people):
    last = evaluated_on(evaluated) + datetime.timedelta(days=5)
    day_after = last + datetime.timedelta(days=1)
    refusal = contests.filing_refusal(evaluated, people["clerk"], today=day_after)
    assert last.strftime("%d/%m/%Y") in refusal and "5 ngày" in refusal
    with pytest.raises(ValidationError):
        contests.file_contest(evaluated.pk, people["clerk"], "Không đồng ý", today=day_after)
    assert not Contest.objects.exists()


def test_the_window_is_a_setting(evaluated, people, settings):
    settings.CONTEST_DAYS = 1
    two_days = evaluated_on(evaluated) + datetime.timedelta(days=2)
    assert contests.filing_refusal(evaluated, people["clerk"], today=two_days)


def test_someone_else_may_not_contest_the_score(evaluated, people):
    for key in ("chair", "other", "office"):
        assert contests.filing_refusal(evaluated, people[key]) is not None
        with pytest.raises(ValidationError, match="Chỉ người"):
            contests.file_contest(evaluated.pk, people[key], "Không đồng ý")
    assert not Contest.objects.exists()


@pytest.mark.parametrize("grounds", ["", "   \n "])
def test_blank_grounds_are_refused(evaluated, people, grounds):
    with pytest.raises(ValidationError, match="lý do"):
        contests.file_contest(evaluated.pk, people["clerk"], grounds)
    assert not Contest.objects.exists()


def test_a_sheet_not_yet_evaluated_cannot_be_contested(month, locality, people):
    data = sheet_of(locality["commune_clerk"], month)
    assert "đã đánh giá" in contests.filing_refusal(data.evaluation, people["clerk"])


def test_a_closed_month_cannot_be_contested(evaluated, people):
    evaluated.period.state = evaluated.period.State.CLOSED  # as read, not stored
    assert "khóa" in contests.filing_refusal(evaluated, people["clerk"]).lower()


def test_a_submitted_unit_report_refuses_filing(evaluated, people):
    from scoring.models import UnitMonth

    UnitMonth.objects.create(
        period=evaluated.period, unit=evaluated.unit, submitted_at=timezone.now()
    )
    refusal = contests.filing_refusal(evaluated, people["clerk"])
    assert "báo cáo tháng" in refusal


def test_one_contest_per_sheet_its_decision_is_final(evaluated, people):
    contests.file_contest(evaluated.pk, people["clerk"], "Không đồng ý C1")
    with pytest.raises(ValidationError, match="chờ"):
        contests.file_contest(evaluated.pk, people["clerk"], "Lần nữa")
    contest = Contest.objects.get()
    contests.uphold(contest.pk, people["province"], "Đúng quy định")
    assert "cuối cùng" in contests.filing_refusal(evaluated, people["clerk"])


def test_the_database_holds_one_open_contest_per_sheet(evaluated, people, locality):
    contests.file_contest(evaluated.pk, people["clerk"], "Không đồng ý")
    with pytest.raises(IntegrityError), transaction.atomic():
        Contest.objects.create(
            evaluation=evaluated,
            grounds="Lần hai",
            decider=locality["province_chair"],
            old_total=evaluated.final_total,
            old_level=evaluated.level,
        )
    # A decided one does not count: history may hold several.
    Contest.objects.update(
        state=Contest.State.UPHELD,
        reason="x",
        decided_at=timezone.now(),
        new_total=evaluated.final_total,
        new_level=evaluated.level,
    )
    Contest.objects.create(
        evaluation=evaluated,
        grounds="Lần hai",
        decider=locality["province_chair"],
        old_total=evaluated.final_total,
        old_level=evaluated.level,
    )


def test_the_database_refuses_blank_grounds_and_a_decision_without_reason(evaluated, locality):
    fields = {
        "evaluation": evaluated,
        "decider": locality["province_chair"],
        "old_total": evaluated.final_total,
        "old_level": evaluated.level,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Contest.objects.create(grounds="", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contest.objects.create(grounds="x", state=Contest.State.UPHELD, **fields)


# --- Who hears it ------------------------------------------------------------------------


def sheet(locality, month, key) -> Evaluation:
    return Evaluation.objects.select_related("unit").get(staff=locality[key], period=month)


def test_the_evaluators_evaluator_can_be_a_council(month, locality):
    # The front head is evaluated by the commune secretary, whom the standing committee
    # evaluates: that council hears the front head's contest.
    decider = contests.decider_for(sheet(locality, month, "front_head"))
    assert decider.council == locality["council"] and decider.staff is None


def test_an_evaluator_without_evaluator_sends_the_contest_to_the_council_named_for_it(
    month, locality, hearing_council
):
    # The agency head has no evaluator this month.
    decider = contests.decider_for(sheet(locality, month, "agency_specialist"))
    assert decider.council == hearing_council


def test_a_sheet_decided_by_a_council_goes_to_another_council(month, locality, hearing_council):
    decider = contests.decider_for(sheet(locality, month, "secretary"))
    assert decider.council == hearing_council != locality["council"]


def test_the_nearest_council_hears_it(month, locality, hearing_council):
    commune = locality["commune"]
    nearer = commune.councils.create(name="Hội đồng xã", contest_scope=commune)
    assert contests.decider_for(sheet(locality, month, "secretary")).council == nearer


def test_with_nobody_named_filing_is_refused(month, locality):
    assert contests.decider_for(sheet(locality, month, "agency_specialist")) is None
