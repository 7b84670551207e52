"""The monthly cycle as services: open, score, return, approve, close, freeze."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction

from scoring.cycle import periods, sheets
from scoring.models import CriteriaSet, CriterionScore, Evaluation, Period, WorkItem, WorkProduct
from tests import factories as f

pytestmark = pytest.mark.django_db


def entries(data, **points):
    """Map line codes to (points, note) for the sheet's criteria."""
    by_code = {c.code: c for c in data.criteria}
    return {by_code[code].pk: value for code, value in points.items()}


@pytest.fixture
def month(locality):
    result = periods.open_period(2026, 3)
    periods.advance_period(result.period, Period.State.SELF_SCORING)
    return result.period


def sheet_of(person, period):
    return sheets.load(Evaluation.objects.get(staff=person, period=period).pk)


def test_opening_a_month_gives_everyone_one_sheet_with_their_set_and_evaluator(locality):
    result = periods.open_period(2026, 3)
    assert result.created == 12 and result.without_set == []
    clerk = Evaluation.objects.get(staff=locality["commune_clerk"])
    assert clerk.criteria_set.code == "nd335"
    assert clerk.evaluator == locality["commune_chair"]
    chair = Evaluation.objects.get(staff=locality["commune_chair"])
    assert chair.criteria_set.code == "nd335-lanh-dao"
    assert chair.evaluator == locality["province_chair"]  # the 2025 rule
    secretary = Evaluation.objects.get(staff=locality["secretary"])
    assert secretary.council == locality["council"] and secretary.evaluator is None


def test_opening_a_month_twice_creates_nothing_new(locality):
    periods.open_period(2026, 3)
    again = periods.open_period(2026, 3)
    assert again.created == 0 and again.existing == 12
    assert Evaluation.objects.count() == 12


def test_a_2024_month_uses_the_local_2019_set(locality):
    periods.open_period(2024, 5)
    assert set(Evaluation.objects.values_list("criteria_set__code", flat=True)) == {
        "dia-phuong-2019"
    }


def test_the_database_allows_one_sheet_per_person_and_month(month, locality):
    existing = Evaluation.objects.get(staff=locality["commune_clerk"], period=month)
    existing.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        existing.save()


def play_clerk_month(month, locality, user):
    data = sheet_of(locality["commune_clerk"], month)
    product = WorkProduct.objects.get(code="quyet-dinh")
    WorkItem.objects.create(
        evaluation=data.evaluation,
        product=product,
        quantity=2,
        deadline=datetime.date(2026, 3, 20),
        done=True,
    )
    data = sheet_of(locality["commune_clerk"], month)
    sheets.save_self_scores(
        data,
        user,
        entries(data, C1=(8, ""), C2=(8, ""), C3=(7, ""), C4=(6, "")),
        data.evaluation.version,
    )
    return data


def test_a_whole_month_returns_corrects_and_approves(month, locality):
    staff_user = f.user("canbo")
    evaluator_user = f.user("danhgia")
    data = play_clerk_month(month, locality, staff_user)
    assert data.evaluation.self_total == Decimal("99.00")
    sheets.submit(data, staff_user, data.evaluation.version)

    data = sheet_of(locality["commune_clerk"], month)
    sheets.return_sheet(
        data, evaluator_user, "Tiêu chí C3 chưa có minh chứng", data.evaluation.version
    )
    data = sheet_of(locality["commune_clerk"], month)
    assert data.evaluation.state == Evaluation.State.RETURNED
    sheets.save_self_scores(data, staff_user, entries(data, C3=(6, "")), data.evaluation.version)
    sheets.submit(data, staff_user, data.evaluation.version)

    data = sheet_of(locality["commune_clerk"], month)
    with pytest.raises(ValidationError, match="comment|nhận xét"):
        sheets.approve(data, evaluator_user, entries(data, C4=(4, "")), data.evaluation.version)
    result = sheets.approve(
        data, evaluator_user, entries(data, C4=(4, "Chưa có sáng kiến")), data.evaluation.version
    )
    evaluation = Evaluation.objects.get(pk=data.evaluation.pk)
    assert evaluation.state == Evaluation.State.APPROVED
    assert evaluation.final_total == Decimal("96.00") == result.total
    assert evaluation.level == 1


def test_a_stale_form_is_refused_and_changes_nothing(month, locality):
    user = f.user("canbo")
    data = play_clerk_month(month, locality, user)
    stale_version = data.evaluation.version - 1
    with pytest.raises(sheets.StaleSheet):
        sheets.save_self_scores(data, user, entries(data, C1=(1, "")), stale_version)
    assert CriterionScore.objects.get(
        evaluation=data.evaluation, criterion__code="C1"
    ).self_points == Decimal("8")


@pytest.mark.parametrize(
    ("value", "reason"),
    [("9", ""), ("-1", ""), ("abc", ""), ("NaN", "")],
    ids=["above maximum", "negative", "text", "not a number"],
)
def test_bad_points_are_refused_and_nothing_is_saved(month, locality, value, reason):
    data = sheet_of(locality["commune_clerk"], month)
    with pytest.raises(ValidationError):
        sheets.save_self_scores(
            data, f.user("canbo"), entries(data, C1=(value, reason)), data.evaluation.version
        )
    assert not CriterionScore.objects.exists()
    assert Evaluation.objects.get(pk=data.evaluation.pk).version == data.evaluation.version


def test_a_deduction_without_a_reason_is_refused(month, locality):
    data = sheet_of(locality["commune_clerk"], month)
    with pytest.raises(ValidationError):
        sheets.save_self_scores(
            data, f.user("canbo"), entries(data, T1=("2", "")), data.evaluation.version
        )
    assert not CriterionScore.objects.exists()


def test_92_points_with_a_reprimand_is_failure(month, locality):
    user = f.user("canbo")
    data = play_clerk_month(month, locality, user)
    data = sheet_of(locality["commune_clerk"], month)
    sheets.save_self_scores(
        data, user, entries(data, T2=("7", "Khiển trách tháng 2/2026")), data.evaluation.version
    )
    result = sheets.score(sheet_of(locality["commune_clerk"], month), "self")
    assert result.total == Decimal("92.00")
    assert result.level == 4


def test_a_sheet_scored_on_an_old_set_keeps_its_points_after_the_set_changes(month, locality):
    user = f.user("canbo")
    play_clerk_month(month, locality, user)
    before = sheets.score(sheet_of(locality["commune_clerk"], month), "self").total
    old = CriteriaSet.objects.get(code="nd335")
    assert old.is_in_use()
    from scoring.criteria.versions import new_version

    newer = new_version(old, effective_from=datetime.date(2026, 4, 1))
    newer.groups.first().criteria.filter(code="C1").update(max_points=Decimal("5"))
    assert newer.version == old.version + 1
    after = sheets.score(sheet_of(locality["commune_clerk"], month), "self").total
    assert after == before
    assert Evaluation.objects.get(staff=locality["commune_clerk"]).criteria_set == old


def test_closing_freezes_the_month_against_every_path(month, locality):
    play_clerk_month(month, locality, f.user("canbo"))
    periods.close_period(month, exception="kiểm thử")
    evaluation = Evaluation.objects.get(staff=locality["commune_clerk"], period=month)
    assert evaluation.level is not None and evaluation.final_total is not None
    # The service refuses with a clear message...
    data = sheet_of(locality["commune_clerk"], month)
    with pytest.raises(ValidationError):
        sheets.save_self_scores(data, None, entries(data, C1=(1, "")), data.evaluation.version)
    # ...and the database refuses even a raw update, insert or delete.
    for attempt in (
        lambda: Evaluation.objects.filter(pk=evaluation.pk).update(final_total=1),
        lambda: CriterionScore.objects.filter(evaluation=evaluation).update(self_points=1),
        lambda: CriterionScore.objects.filter(evaluation=evaluation).delete(),
        lambda: WorkItem.objects.filter(evaluation=evaluation).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert Evaluation.objects.get(pk=evaluation.pk).final_total == evaluation.final_total


def test_a_leader_one_of_whose_staff_fails_gets_half_the_unit_result(month, locality):
    user = f.user("canbo")
    data = play_clerk_month(month, locality, user)
    data = sheet_of(locality["commune_clerk"], month)
    sheets.save_self_scores(
        data, user, entries(data, T2=("1", "Khiển trách")), data.evaluation.version
    )
    periods.close_period(month, exception="kiểm thử")
    chair = Evaluation.objects.get(staff=locality["commune_chair"], period=month)
    k2 = next(line for line in chair.explanation["lines"] if line["code"] == "K2")
    assert Decimal(k2["points"]) == Decimal("10.00")  # 50% of 20
    clerk = Evaluation.objects.get(staff=locality["commune_clerk"], period=month)
    assert clerk.level == 4


def test_a_month_moves_forward_only(month):
    with pytest.raises(ValidationError):
        periods.advance_period(month, Period.State.OPEN)


def test_reopening_a_month_reroutes_pending_sheets_and_logs_the_change(month, locality):
    from wagtail.models import ModelLogEntry

    from scoring.models import EvaluatorOverride

    EvaluatorOverride.objects.create(
        staff=locality["commune_clerk"],
        evaluator=locality["commune_vice"],
        reason="Chủ tịch xã vắng dài ngày",
        valid_from=datetime.date(2026, 3, 1),
    )
    periods.open_period(2026, 3)
    evaluation = Evaluation.objects.get(staff=locality["commune_clerk"], period=month)
    assert evaluation.evaluator == locality["commune_vice"]
    entry = ModelLogEntry.objects.get(object_id=str(evaluation.pk), action="scoring.evaluator")
    assert entry.data["old"][0] == locality["commune_chair"].pk
    assert entry.data["new"][0] == locality["commune_vice"].pk
