"""An override whose evaluator no longer holds the post that made them eligible."""

import datetime

import pytest
from wagtail.models import ModelLogEntry

from scoring.cycle import periods
from scoring.models import Assignment, Evaluation, EvaluatorOverride, Period
from scoring.organisation.routing import Problem, evaluator_of, unresolved_routes
from tests import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def override(locality):
    """The clerk is scored by the vice-chair instead of the chair (a conflict of interest)."""
    return EvaluatorOverride.objects.create(
        staff=locality["commune_clerk"],
        evaluator=locality["commune_vice"],
        reason="Chủ tịch xã là người thân: tránh xung đột lợi ích",
        valid_from=D(2026, 1, 1),
    )


def test_the_override_records_the_post_that_made_its_evaluator_eligible(override, locality):
    assert override.evaluator_post == locality["commune_vice"].assignments.get()


def test_an_evaluator_who_leaves_the_service_on_the_15th_no_longer_scores_that_month(
    override, locality
):
    vice = locality["commune_vice"]
    vice.end_date = D(2026, 3, 15)
    vice.save()
    Assignment.objects.filter(staff=vice).update(end_date=D(2026, 3, 15))
    assert evaluator_of(locality["commune_clerk"], 2026, 2).evaluator_id == vice.pk
    march = evaluator_of(locality["commune_clerk"], 2026, 3)
    assert march.evaluator_id == locality["commune_chair"].pk  # the rules apply again
    assert march.rule_id is not None and march.override_id == override.pk
    assert march.problem == Problem.VACANT and march.resolved
    flagged = {route.staff_id: route for route in unresolved_routes(2026, 3)}
    assert "không còn giữ chức vụ" in flagged[locality["commune_clerk"].pk].problem_label


def test_an_evaluator_who_moves_to_another_unit_is_flagged_from_the_move(override, locality):
    vice = locality["commune_vice"]
    post = vice.assignments.get()
    post.end_date = D(2026, 4, 9)
    post.save()
    other_unit = f.unit("Phòng Văn hóa", "agency", locality["district"])
    Assignment.objects.create(
        staff=vice, unit=other_unit, position=locality["clerk_position"], start_date=D(2026, 4, 10)
    )
    assert evaluator_of(locality["commune_clerk"], 2026, 3).evaluator_id == vice.pk
    april = evaluator_of(locality["commune_clerk"], 2026, 4)
    assert april.evaluator_id == locality["commune_chair"].pk
    assert locality["commune_clerk"].pk in {route.staff_id for route in unresolved_routes(2026, 4)}


def test_a_month_opened_before_the_evaluator_left_falls_back_and_logs_the_change(
    override, locality
):
    period = periods.open_period(2026, 3).period
    sheet = Evaluation.objects.get(staff=locality["commune_clerk"], period=period)
    assert sheet.evaluator == locality["commune_vice"]
    vice = locality["commune_vice"]
    vice.end_date = D(2026, 3, 15)
    vice.save()
    periods.advance_period(period, Period.State.SELF_SCORING)
    sheet.refresh_from_db()
    assert sheet.evaluator == locality["commune_chair"]
    change = ModelLogEntry.objects.get(action="scoring.evaluator", object_id=str(sheet.pk))
    assert change.data["old"][0] == vice.pk and change.data["new"][0] == sheet.evaluator_id
