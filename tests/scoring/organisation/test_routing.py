"""Evaluator routes: the seed's five rules, today's rule, overrides, vacancies, mergers."""

import datetime

import pytest

from scoring.models import EvaluationRule, EvaluatorOverride, Unit
from scoring.organisation.restructure import merge_units
from scoring.organisation.routing import Problem, evaluator_of, resolve_routes, unresolved_routes
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_rule_one_agency_staff_are_scored_by_their_agency_head(locality):
    route = evaluator_of(locality["agency_specialist"], 2024, 3)
    assert route.evaluator_id == locality["agency_head"].pk
    assert route.rule_id is not None and route.override_id is None


def test_rule_two_commune_vice_chair_and_civil_servants_are_scored_by_the_commune_chair(locality):
    for person in ("commune_vice", "commune_clerk"):
        assert evaluator_of(locality[person], 2024, 3).evaluator_id == locality["commune_chair"].pk


def test_rule_three_party_deputy_front_and_mass_heads_are_scored_by_the_party_secretary(
    locality,
):
    for person in ("deputy_secretary", "front_head", "women_head"):
        assert evaluator_of(locality[person], 2024, 3).evaluator_id == locality["secretary"].pk


def test_rule_four_agency_heads_and_commune_chairs_are_scored_by_the_district_chair(locality):
    for person in ("agency_head", "commune_chair"):
        assert evaluator_of(locality[person], 2024, 3).evaluator_id == locality["district_chair"].pk


def test_rule_five_commune_party_secretaries_are_scored_by_the_standing_committee(locality):
    route = evaluator_of(locality["secretary"], 2024, 3)
    assert route.council_id == locality["council"].pk
    assert route.evaluator_id is None


def test_since_july_2025_the_province_chair_scores_commune_chairs(locality):
    route = evaluator_of(locality["commune_chair"], 2025, 7)
    assert route.evaluator_id == locality["province_chair"].pk
    assert evaluator_of(locality["commune_chair"], 2025, 6).evaluator_id == (
        locality["district_chair"].pk
    )


def test_a_manual_override_wins_over_every_rule(locality):
    override = EvaluatorOverride.objects.create(
        staff=locality["commune_clerk"],
        evaluator=locality["commune_vice"],
        reason="Chủ tịch xã là người thân, tránh xung đột lợi ích",
        valid_from=datetime.date(2024, 1, 1),
    )
    route = evaluator_of(locality["commune_clerk"], 2024, 3)
    assert route.evaluator_id == locality["commune_vice"].pk
    assert route.override_id == override.pk and route.rule_id is None
    # Before the override took effect, the rule applies.
    assert evaluator_of(locality["commune_clerk"], 2023, 12).evaluator_id == (
        locality["commune_chair"].pk
    )


def test_an_override_can_never_name_the_person_themselves(locality):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluatorOverride.objects.create(
            staff=locality["commune_clerk"],
            evaluator=locality["commune_clerk"],
            reason="x",
            valid_from=datetime.date(2024, 1, 1),
        )


def test_a_vacant_post_is_reported_not_skipped(locality):
    chair_post = locality["commune_chair"].assignments.get()
    chair_post.end_date = datetime.date(2024, 2, 29)
    chair_post.save()
    route = evaluator_of(locality["commune_clerk"], 2024, 3)
    assert route.problem == Problem.VACANT
    assert route.evaluator_id is None
    reported = {r.staff_id for r in unresolved_routes(2024, 3)}
    assert {locality["commune_clerk"].pk, locality["commune_vice"].pk} <= reported
    assert locality["agency_specialist"].pk not in reported


def test_a_rule_pointing_at_the_person_themselves_falls_to_the_next_rule(locality):
    EvaluationRule.objects.filter(name__startswith="4.").delete()
    # Rule 1 would make the agency head score themselves: that is never allowed.
    route = evaluator_of(locality["agency_head"], 2024, 3)
    assert route.problem == Problem.SELF
    assert route.evaluator_id != locality["agency_head"].pk


def test_a_person_no_rule_matches_is_reported(locality):
    EvaluationRule.objects.filter(name__startswith="1.").delete()
    assert evaluator_of(locality["agency_specialist"], 2024, 3).problem == Problem.NO_RULE


def test_a_commune_merged_mid_year_changes_the_evaluator_from_the_merger_on(locality):
    other = f.unit(
        "Xã Tùng Vài", "commune", locality["district"], valid_from=datetime.date(2000, 1, 1)
    )
    other_chair = f.staff("Nguyễn Văn Mới", other, locality["chair_position"])
    merged_on = datetime.date(2025, 7, 1)
    merge_units([locality["commune"]], into=other, on=merged_on)

    clerk = locality["commune_clerk"]
    assert evaluator_of(clerk, 2025, 3).evaluator_id == locality["commune_chair"].pk
    # From July the clerk's post moved to the merged commune, whose chair scores them.
    assert evaluator_of(clerk, 2025, 8).evaluator_id == other_chair.pk
    old_commune = Unit.objects.get(pk=locality["commune"].pk)
    assert old_commune.valid_to == datetime.date(2025, 6, 30)
    assert old_commune.successor == other
    assert clerk.post_on(datetime.date(2025, 3, 15)).unit == old_commune
    assert clerk.post_on(datetime.date(2025, 8, 15)).unit == other


def test_a_renamed_unit_keeps_its_old_name_for_earlier_dates(locality):
    from scoring.organisation.restructure import rename_unit

    commune = locality["commune"]
    rename_unit(commune, "Phường Quyết Tiến", on=datetime.date(2025, 7, 1))
    assert commune.name_on(datetime.date(2025, 6, 30)) == "Xã Quyết Tiến"
    assert commune.name_on(datetime.date(2025, 7, 1)) == "Phường Quyết Tiến"


def test_resolving_every_person_takes_a_fixed_number_of_queries(
    locality, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        small = resolve_routes(2024, 3)
    commune = locality["commune"]
    for index in range(40):
        f.staff(f"Công chức {index}", commune, locality["clerk_position"])
    with django_assert_max_num_queries(12):
        large = resolve_routes(2024, 3)
    assert len(large) == len(small) + 40


def test_an_override_whose_evaluator_has_left_is_reported_vacant(locality):
    vice = locality["commune_vice"]
    EvaluatorOverride.objects.create(
        staff=locality["commune_clerk"],
        evaluator=vice,
        reason="Xung đột lợi ích",
        valid_from=datetime.date(2024, 1, 1),
    )
    vice.end_date = datetime.date(2024, 3, 31)
    vice.save()
    assert evaluator_of(locality["commune_clerk"], 2024, 3).evaluator_id == vice.pk
    route = evaluator_of(locality["commune_clerk"], 2024, 5)
    assert route.problem == Problem.VACANT and route.override_id is not None


def test_staff_ids_may_be_any_iterable(locality):
    ids = [locality["commune_clerk"].pk, locality["agency_specialist"].pk]
    assert resolve_routes(2024, 3, (i for i in ids)).keys() == set(ids)
