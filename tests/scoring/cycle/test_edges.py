"""The edges of a sheet's arithmetic, as an evaluator and an office meet them.

The bonus that would pass the maximum, the total a hair under a band edge, the month
with no work plan, the evaluator's explicit 0 under a cap, and the closed month that
shows what was frozen.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import ModelLogEntry

from scoring.access import roles
from scoring.cycle import periods, sheets
from scoring.models import Criterion, CriterionScore, Evaluation, Period, WorkItem, WorkProduct
from tests import factories as f

pytestmark = pytest.mark.django_db


def entries(data, **points):
    """Line code -> (points, note), keyed by the sheet's criterion ids."""
    by_code = {c.code: c for c in data.criteria}
    return {by_code[code].pk: value for code, value in points.items()}


def sheet_of(person, period):
    return sheets.load(Evaluation.objects.get(staff=person, period=period).pk)


def open_month(year, month):
    period = periods.open_period(year, month).period
    periods.advance_period(period, Period.State.SELF_SCORING)
    return period


def plan(evaluation, *items, day=None):
    """Work items (product code, quantity, delays) on the sheet, all done."""
    day = day or evaluation.period.first_day
    for code, quantity, delays in items:
        WorkItem.objects.create(
            evaluation=evaluation,
            product=WorkProduct.objects.get(code=code),
            quantity=quantity,
            deadline=day,
            done=True,
            delays=delays,
        )


@pytest.fixture
def chair(locality):
    """The commune chair's login: the clerk's evaluator."""
    account = f.user("danhgia", roles.EVALUATOR)
    locality["commune_chair"].user = account
    locality["commune_chair"].save()
    return account


def general(c1, c2, c3, c4) -> dict:
    """The four general lines of Decree 335's sheet, as the person scores them."""
    return {
        code: (points, "")
        for code, points in zip(("C1", "C2", "C3", "C4"), (c1, c2, c3, c4), strict=True)
    }


def self_score_and_submit(data, user, **points):
    sheets.save_self_scores(data, user, entries(data, **points), data.evaluation.version)
    data = sheets.load(data.evaluation.pk)
    sheets.submit(data, user, data.evaluation.version)
    return sheets.load(data.evaluation.pk)


# --- 1. No total above the set's maximum ---------------------------------------------------


def test_a_full_2019_sheet_with_its_ten_bonus_points_totals_100_and_is_frozen_at_100(
    locality, chair
):
    period = open_month(2024, 5)
    clerk = locality["commune_clerk"]
    data = sheet_of(clerk, period)
    plan(data.evaluation, ("quyet-dinh", 2, 0))
    data = self_score_and_submit(
        sheets.load(data.evaluation.pk),
        None,
        **{"1.1": ("5", ""), "1.2": ("5", ""), "1.3": ("5", ""), "1.4": ("5", "")},
        **{"2.2": ("10", ""), "3.1": ("10", "Sáng kiến cải cách thủ tục")},
    )
    result = sheets.approve(data, chair, {}, data.evaluation.version)
    assert result.total == Decimal("100.00") and result.level == 1
    assert Evaluation.objects.get(pk=data.evaluation.pk).final_total == Decimal("100.00")
    periods.close_period(period, exception="kiểm thử")
    frozen = Evaluation.objects.get(pk=data.evaluation.pk)
    assert frozen.final_total == Decimal("100.00") and frozen.level == 1
    assert Decimal(frozen.explanation["total"]) == Decimal("100.00")


# --- 2. No rounding across a band edge -----------------------------------------------------


def test_a_sheet_whose_exact_total_is_89_9956_shows_89_99_and_is_good(locality, chair):
    """21.94 general points and 68.0556 task points: excellent only if rounded up."""
    period = open_month(2026, 3)
    clerk = locality["commune_clerk"]
    data = sheet_of(clerk, period)
    # Three equal items, one delivered late once: quantity 1, quality 1, timeliness 11/12;
    # the mean 35/36 of 70 points is 68.0555….
    plan(data.evaluation, ("quyet-dinh", 1, 1), ("quyet-dinh", 1, 0), ("quyet-dinh", 1, 0))
    data = self_score_and_submit(
        sheets.load(data.evaluation.pk),
        None,
        **general("8", "8", "5.94", "0"),
    )
    result = sheets.approve(data, chair, {}, data.evaluation.version)
    task = next(line for line in result.lines if line.code == "K1")
    assert task.points == Decimal("68.06")  # the line is shown rounded…
    assert result.exact_total < Decimal(90)  # …the total is added from exact values
    assert result.total == Decimal("89.99") and result.level == 2
    stored = Evaluation.objects.get(pk=data.evaluation.pk)
    assert (stored.final_total, stored.level) == (Decimal("89.99"), 2)
    assert "89,99" in stored.explanation["level_explanation"]


def test_the_sheet_page_explains_the_rounding_rule(client, locality):
    period = open_month(2026, 3)
    account = f.user("canbo", roles.STAFF_MEMBER)
    clerk = locality["commune_clerk"]
    clerk.user = account
    clerk.save()
    client.force_login(account)
    page = client.get(reverse("scoring_my_month")).content.decode()
    assert "không bao giờ làm tròn lên qua ngưỡng xếp loại" in page
    assert period.evaluations.filter(staff=clerk).exists()


# --- 3. An empty plan is not 0 points -------------------------------------------------------


def test_a_month_with_no_work_plan_cannot_be_submitted(locality):
    period = open_month(2026, 3)
    data = sheet_of(locality["commune_clerk"], period)
    result = sheets.score(data, "self")
    task = next(line for line in result.lines if line.code == "K1")
    assert task.needs_hand_score and task.skipped
    assert "kế hoạch" in task.explanation.lower()
    points = entries(data, **general("8", "8", "8", "6"))
    sheets.save_self_scores(data, None, points, data.evaluation.version)
    data = sheets.load(data.evaluation.pk)
    with pytest.raises(ValidationError, match="K1"):
        sheets.submit(data, None, data.evaluation.version)
    assert Evaluation.objects.get(pk=data.evaluation.pk).state == Evaluation.State.DRAFT


def test_without_a_plan_the_evaluator_scores_the_task_results_by_hand_with_a_reason(
    locality, chair
):
    period = open_month(2026, 3)
    evaluation = Evaluation.objects.get(staff=locality["commune_clerk"], period=period)
    data = sheets.load(evaluation.pk)
    lines = general("8", "8", "8", "6")
    sheets.save_self_scores(data, None, entries(data, **lines), data.evaluation.version)
    data = sheets.load(evaluation.pk)
    with pytest.raises(ValidationError):  # not submitted, and the month is not in evaluation
        sheets.approve(data, chair, entries(data, K1=("56", "x")), data.evaluation.version)
    periods.advance_period(period, Period.State.EVALUATION)
    data = sheets.load(evaluation.pk)
    with pytest.raises(ValidationError, match="K1"):
        sheets.approve(data, chair, {}, data.evaluation.version)
    with pytest.raises(ValidationError, match="K1"):
        sheets.approve(data, chair, entries(data, K1=("56", "")), data.evaluation.version)
    reason = "Được cử đi công tác đột xuất cả tháng, không đăng ký kế hoạch"
    data = sheets.load(evaluation.pk)
    result = sheets.approve(data, chair, entries(data, K1=("56", reason)), data.evaluation.version)
    assert result.total == Decimal("86.00") and result.level == 2
    line = next(line for line in result.lines if line.code == "K1")
    assert not line.needs_hand_score and "56" in line.explanation
    task = Criterion.objects.get(group__criteria_set=evaluation.criteria_set, code="K1")
    kept = CriterionScore.objects.get(evaluation=evaluation, criterion=task)
    assert (kept.final_points, kept.final_comment) == (Decimal("56.00"), reason)
    logged = ModelLogEntry.objects.filter(action="scoring.score", object_id=str(evaluation.pk))
    assert any(
        change["line"] == "K1" and change["note"] == reason
        for entry in logged
        for change in entry.data["changes"]
    )


# --- 4. An explicit 0 is a 0 ----------------------------------------------------------------


def test_an_evaluators_zero_on_a_capped_line_lifts_the_cap_the_self_score_put(locality, chair):
    period = open_month(2026, 3)
    data = sheet_of(locality["commune_clerk"], period)
    Criterion.objects.filter(group__criteria_set=data.evaluation.criteria_set, code="T1").update(
        cap_level=3
    )
    plan(data.evaluation, ("quyet-dinh", 1, 0))
    data = self_score_and_submit(
        sheets.load(data.evaluation.pk),
        None,
        **general("8", "8", "8", "6"),
        T1=("1", "Đi muộn một buổi"),
    )
    assert sheets.score(data, "self").level == 3  # the self-score's deduction caps at 3
    result = sheets.approve(
        data, chair, entries(data, T1=("0", "Đã xác minh: không vi phạm")), data.evaluation.version
    )
    assert result.total == Decimal("100.00") and result.level == 1


# --- 7. A closed sheet shows what was frozen ------------------------------------------------


def test_a_closed_sheet_shows_the_frozen_result_after_the_catalogue_changes(
    client, locality, chair
):
    period = open_month(2026, 3)
    clerk = locality["commune_clerk"]
    data = sheet_of(clerk, period)
    plan(data.evaluation, ("bao-cao", 2, 1), ("quyet-dinh", 1, 0))
    data = self_score_and_submit(
        sheets.load(data.evaluation.pk),
        None,
        **general("8", "8", "7", "5"),
    )
    sheets.approve(data, chair, {}, data.evaluation.version)
    periods.close_period(period, exception="kiểm thử")
    frozen = Evaluation.objects.get(pk=data.evaluation.pk)
    office = f.user("noivu", roles.HOME_AFFAIRS)
    client.force_login(office)
    url = reverse("scoring_review", args=[frozen.pk])
    before = client.get(url).context
    WorkProduct.objects.filter(code="bao-cao").update(weight=Decimal("2.0"))
    after = client.get(url).context
    assert after["final_result"].total == before["final_result"].total == frozen.final_total
    assert after["final_result"].level == frozen.level
    assert [line.points for line in after["final_result"].lines] == [
        Decimal(line["points"]) for line in frozen.explanation["lines"]
    ]
    assert sheets.score(sheets.load(frozen.pk)).total != frozen.final_total  # it would move
