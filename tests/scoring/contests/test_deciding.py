"""Deciding a contest: the score stands or changes, with a reason, in the audit log."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from scoring.contests import contests
from scoring.models import Contest, Evaluation
from tests.scoring.contests.conftest import entries, sheet_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest(evaluated, people):
    return contests.file_contest(evaluated.pk, people["clerk"], "C1 và C2 chưa đúng thực tế.")


def actions(evaluation) -> list[ModelLogEntry]:
    return list(
        ModelLogEntry.objects.filter(
            content_type__model="evaluation", object_id=str(evaluation.pk)
        ).order_by("pk")
    )


def test_filing_is_in_the_sheets_audit_log_with_the_score_contested(contest, people):
    entry = actions(contest.evaluation)[-1]
    assert entry.action == "scoring.contest_filed" and entry.user_id == people["clerk"].pk
    assert entry.data["old_total"] == "87.00" and entry.data["old_level"] == 2
    assert "C1 và C2" in entry.data["grounds"] and entry.data["decider"] == "Nguyễn Văn Tỉnh"
    assert "87.00" in entry.message and "Nguyễn Văn Tỉnh" in entry.message


def test_the_score_stands_with_a_reason(contest, people):
    decided = contests.uphold(contest.pk, people["province"], "  Đúng với minh chứng.  ")
    stored = Contest.objects.get(pk=contest.pk)
    assert stored.state == Contest.State.UPHELD == decided.state
    assert stored.reason == "Đúng với minh chứng." and stored.decided_by == people["province"]
    assert (stored.new_total, stored.new_level) == (Decimal("87.00"), 2)
    evaluation = Evaluation.objects.get(pk=contest.evaluation_id)
    assert (evaluation.final_total, evaluation.level) == (Decimal("87.00"), 2)
    entry = actions(evaluation)[-1]
    assert entry.action == "scoring.contest_upheld"
    assert (entry.data["old_total"], entry.data["new_total"]) == ("87.00", "87.00")
    assert "Đúng với minh chứng" in entry.message


def test_changing_the_score_recomputes_total_and_level_with_the_scoring_service(
    contest, people, month, locality
):
    data = sheet_of(locality["commune_clerk"], month)
    changed, result = contests.change_score(
        contest.pk,
        people["province"],
        entries(data, C1=(8, "Có minh chứng"), C2=(8, "Có minh chứng")),
        "Minh chứng bổ sung hợp lệ.",
        data.evaluation.version,
    )
    # 8 + 8 + 7 + 6 general points and the work plan's 70: 99, excellent.
    assert (result.total, result.level) == (Decimal("99.00"), 1)
    evaluation = Evaluation.objects.get(pk=contest.evaluation_id)
    assert (evaluation.final_total, evaluation.level) == (Decimal("99.00"), 1)
    assert evaluation.state == Evaluation.State.APPROVED
    assert evaluation.explanation["total"] == "99.00"
    stored = Contest.objects.get(pk=contest.pk)
    assert stored.state == Contest.State.CHANGED
    assert (stored.old_total, stored.old_level) == (Decimal("87.00"), 2)
    assert (stored.new_total, stored.new_level) == (Decimal("99.00"), 1)
    logged = {entry.action: entry for entry in actions(evaluation)}
    assert logged["scoring.revised"].data["old_total"] == "87.00"
    assert logged["scoring.revised"].data["new_level"] == 1
    decision = logged["scoring.contest_changed"]
    assert (decision.data["old_total"], decision.data["new_total"]) == ("87.00", "99.00")
    assert (decision.data["old_level"], decision.data["new_level"]) == (2, 1)
    assert "87.00" in decision.message and "99.00" in decision.message
    assert "Hoàn thành xuất sắc nhiệm vụ" in decision.message


def test_a_decision_needs_a_reason(contest, people, month, locality):
    with pytest.raises(ValidationError, match="lý do"):
        contests.uphold(contest.pk, people["province"], "  ")
    data = sheet_of(locality["commune_clerk"], month)
    with pytest.raises(ValidationError, match="lý do"):
        contests.change_score(
            contest.pk, people["province"], entries(data, C1=(8, "x")), "", data.evaluation.version
        )
    assert Contest.objects.get(pk=contest.pk).is_open


def test_a_change_that_changes_nothing_is_refused(contest, people, month, locality):
    data = sheet_of(locality["commune_clerk"], month)
    with pytest.raises(ValidationError, match="giữ nguyên"):
        contests.change_score(
            contest.pk,
            people["province"],
            entries(data, C1=(2, "Chưa gương mẫu"), C3=(7, "")),
            "Xem lại",
            data.evaluation.version,
        )


def test_only_whoever_hears_it_decides(contest, people):
    for key in ("chair", "clerk", "other", "office", "member"):
        assert contests.decision_refusal(contest, people[key]) is not None
        with pytest.raises(ValidationError):
            contests.uphold(contest.pk, people[key], "Không")
    assert Contest.objects.get(pk=contest.pk).is_open


def test_any_member_of_a_council_decides_its_contests(
    month, locality, people, hearing_council, evaluated
):
    # Nobody above the province chair: the clerk's contest goes to the district's council.
    Evaluation.objects.filter(staff=locality["commune_chair"]).update(evaluator=None)
    contest = contests.file_contest(evaluated.pk, people["clerk"], "Không đồng ý")
    assert contest.council == hearing_council and contest.decider is None
    assert contests.decision_refusal(contest, people["province"]) is not None
    contests.uphold(contest.pk, people["member"], "Đúng quy định")
    assert Contest.objects.get(pk=contest.pk).state == Contest.State.UPHELD


def test_a_contest_is_decided_once(contest, people):
    contests.uphold(contest.pk, people["province"], "Đúng")
    with pytest.raises(ValidationError, match="đã được giải quyết"):
        contests.uphold(contest.pk, people["province"], "Lần nữa")


def test_open_contests_hold_the_unit_report(
    contest, evaluated, locality, django_assert_num_queries
):
    with django_assert_num_queries(1):
        waiting = contests.open_contests(evaluated.period, evaluated.unit)
        assert [c.evaluation.staff.full_name for c in waiting] == ["Giàng Thị Công"]
    refusal = contests.contest_refusal_for_submission(evaluated.period, evaluated.unit)
    assert "1 khiếu nại" in refusal and "Giàng Thị Công" in refusal
    assert contests.contest_refusal_for_submission(evaluated.period, locality["district"]) is None
    contests.uphold(contest.pk, contest.decider.user, "Đúng")
    assert contests.open_contests(evaluated.period, evaluated.unit) == []
    assert contests.contest_refusal_for_submission(evaluated.period, evaluated.unit) is None


def test_the_refusal_for_submission_reads_in_english(contest, evaluated):
    from django.utils import translation

    with translation.override("en"):
        refusal = contests.contest_refusal_for_submission(evaluated.period, evaluated.unit)
    assert refusal.startswith("1 contest is still open: Giàng Thị Công.")
