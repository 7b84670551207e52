"""A person's quarters and year from their months, as the regulations' examples go."""

import datetime
from decimal import Decimal

import pytest

from scoring.engine import Level
from scoring.engine.rollup import MonthStatus
from scoring.models import Discipline, Evaluation
from scoring.rollup.years import person_quarter, person_year
from tests import factories as f
from tests.scoring.rollup.helpers import criteria_set, months, sheet

pytestmark = pytest.mark.django_db

D = Decimal
YEAR = 2026


@pytest.fixture
def office():
    return f.unit("Phòng Nội vụ", "agency")


@pytest.fixture
def person(office):
    return f.staff("Phạm Văn Chuyên", office, f.position("chuyen-vien"))


def test_a_quarter_of_85_91_and_72_is_82_67_and_good(person, office):
    months(person, YEAR, {1: "85", 2: "91", 3: "72"}, office)
    quarter = person_quarter(person, YEAR, 1)
    assert quarter.used == (1, 2, 3)
    assert quarter.total == D("82.67")
    assert quarter.level == Level.GOOD
    assert quarter.level_label == "Hoàn thành tốt nhiệm vụ"


def test_a_month_absent_on_leave_is_left_out_of_the_year(person, office):
    totals = {month: "80" for month in range(1, 13)}
    totals[1], totals[6] = "92", None
    months(person, YEAR, totals, office)
    year = person_year(person, YEAR)
    assert 6 not in year.result.used and len(year.result.used) == 11
    left_out = [(m.month, m.reason) for m in year.result.left_out]
    assert left_out == [(6, "vắng mặt có lý do chính đáng")]
    assert year.result.total == D("81.09")  # (92 + 10 × 80) / 11, not / 12
    assert year.months[5].is_absent
    assert year.quarters[1].used == (4, 5)


def test_a_reprimand_in_march_makes_the_year_level_4_whatever_the_points(person, office):
    months(person, YEAR, {month: "96" for month in range(1, 13)}, office)
    Discipline.objects.create(
        staff=person,
        kind=Discipline.Kind.REPRIMAND,
        decided_on=datetime.date(YEAR, 3, 12),
        decision_number="15/QĐ-UBND",
    )
    year = person_year(person, YEAR)
    assert year.result.total == D("96.00")
    assert year.result.level == Level.FAILURE
    assert "Khiển trách" in year.result.override and "15/QĐ-UBND" in year.result.override
    assert year.quarters[0].level == Level.EXCELLENT  # the override is the year's
    assert not year.proposed_for_reward
    assert year.attention_reasons == ["Cả năm: Không hoàn thành nhiệm vụ"]


def test_a_reprimand_of_another_year_leaves_this_one_alone(person, office):
    months(person, YEAR, {1: "96"}, office)
    Discipline.objects.create(
        staff=person,
        kind=Discipline.Kind.WARNING,
        decided_on=datetime.date(YEAR - 1, 12, 31),
        decision_number="9/QĐ",
    )
    assert person_year(person, YEAR).result.level == Level.EXCELLENT


def test_which_kinds_force_failure_is_a_setting(person, office, settings):
    months(person, YEAR, {1: "96"}, office)
    Discipline.objects.create(
        staff=person,
        kind=Discipline.Kind.DEGRADATION,
        decided_on=datetime.date(YEAR, 5, 1),
        decision_number="KL-3",
    )
    assert person_year(person, YEAR).result.level == Level.FAILURE
    settings.SCORING_DISCIPLINE_FORCING_FAILURE = ["reprimand", "warning"]
    assert person_year(person, YEAR).result.level == Level.EXCELLENT


def test_a_year_whose_exact_mean_is_just_under_90_is_shown_89_99_and_good(person, office):
    # (11 × 90 + 89.95) / 12 = 89.99583…: rounding half up would show 90.00.
    totals = {month: "90" for month in range(1, 12)} | {12: "89.95"}
    months(person, YEAR, totals, office)
    year = person_year(person, YEAR)
    assert year.result.total == D("89.99")
    assert year.result.level == Level.GOOD


def test_a_month_not_yet_evaluated_is_left_out_as_pending(person, office):
    months(person, YEAR, {10: "95"}, office)
    sheet(person, YEAR, 11, None, office, state=Evaluation.State.SUBMITTED)
    quarter = person_quarter(person, YEAR, 4)
    assert quarter.total == D("95.00")
    assert [(m.month, m.status) for m in quarter.left_out] == [(11, MonthStatus.PENDING)]


def test_two_level_4_quarters_in_a_row_put_someone_on_the_attention_list(person, office):
    totals = {1: "75", 2: "75", 3: "75", 4: "40", 5: "45", 6: "30", 7: "48", 8: "40", 9: "45"}
    months(person, YEAR, totals | {10: "90", 11: "90", 12: "90"}, office)
    year = person_year(person, YEAR)
    assert [q.level for q in year.quarters] == [2, 4, 4, 1]
    assert year.result.level == Level.COMPLETION
    assert year.attention_reasons == ["Quý 2 và quý 3 liên tiếp: Không hoàn thành nhiệm vụ"]


def test_the_criteria_set_may_take_the_year_as_the_mean_of_its_quarters(person, office):
    on_set = criteria_set()
    on_set.rollup_basis = "quarters"
    on_set.failed_month_bars_excellent = True
    on_set.save()
    months(person, YEAR, {1: "100", 4: "70", 5: "70", 6: "70"}, office, on_set=on_set)
    assert person_year(person, YEAR).result.total == D("85.00")
    months(person, YEAR, {7: "100", 8: "100", 9: "100", 10: "45"}, office, on_set=on_set)
    # quarters 100, 70, 100, 45: 78.75 whatever the cap; a failed month bars excellent
    assert person_year(person, YEAR).result.total == D("78.75")


def test_a_failed_month_bars_an_excellent_year_only_when_the_set_says_so(person, office):
    totals = {month: "100" for month in range(1, 12)} | {12: "45"}
    months(person, YEAR, totals, office)
    assert person_year(person, YEAR).result.level == Level.EXCELLENT
    on_set = criteria_set()
    on_set.failed_month_bars_excellent = True
    on_set.save()
    year = person_year(person, YEAR)
    assert year.result.total == D("95.42")
    assert year.result.level == Level.GOOD
