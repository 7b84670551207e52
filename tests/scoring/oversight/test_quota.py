"""The quota of level 1 per unit and group of similar duties: the worked examples."""

import datetime
from decimal import Decimal

import pytest

from scoring.models import DutyGroup, Evaluation, QuotaDecision, QuotaRule
from scoring.oversight.quota import quota_check, quota_checks, record_decision
from tests import factories as f

pytestmark = pytest.mark.django_db

D2026 = datetime.date(2026, 1, 1)


def rule(name="Kiểm thử", priority=10, **fields) -> QuotaRule:
    fields.setdefault("grouping", QuotaRule.Grouping.POSITION)
    return QuotaRule.objects.create(name=name, valid_from=D2026, priority=priority, **fields)


def fill(make_sheet, month, people, unit, position, totals, evaluator):
    return [
        make_sheet(month, person, unit, position, total, evaluator=evaluator)
        for person, total in zip(people, totals, strict=True)
    ]


@pytest.fixture
def specialists(agency, people_in, make_sheet, month):
    """3 proposed at level 1 (95, 91.5, 93) and 10 at level 2 in one agency and post."""
    post = f.position("chuyen-vien")
    people = people_in(agency["unit"], post, 13, "Chuyên viên")
    totals = ["95", "91.5", "93", *(["80"] * 10)]
    return fill(make_sheet, month, people, agency["unit"], post, totals, agency["head"])


def test_the_shipped_rule_is_decree_335(month):
    shipped = QuotaRule.objects.get(percent_of_good=20)
    assert shipped.grouping == QuotaRule.Grouping.POSITION
    assert shipped.cap().share_of_good == Decimal("0.2")


def test_three_at_level_1_against_ten_at_level_2_break_a_cap_of_two(agency, specialists, month):
    check = quota_check(agency["unit"], month)
    (group,) = [g for g in check.groups if g.key.startswith("position:") and g.counts[2] == 10]
    assert group.counts == {1: 3, 2: 10, 3: 0, 4: 0}
    assert group.cap == 2 and group.broken
    assert [row.total for row in group.margin] == [Decimal("91.50")]
    assert [row.staff_name for row in group.ranked][0] == specialists[1].staff.full_name
    assert group.margin[0].sheet_url.endswith(f"/month/sheet/{specialists[1].pk}/")


def test_two_duty_groups_of_one_agency_are_checked_apart(agency, people_in, make_sheet, month):
    specialist, accountant = f.position("chuyen-vien"), f.position("ke-toan")
    duty_rule = rule(grouping=QuotaRule.Grouping.DUTY_GROUP, percent_of_good=20)
    for name, post in (("Chuyên môn", specialist), ("Kế toán", accountant)):
        group = DutyGroup.objects.create(rule=duty_rule, name=name)
        group.positions.set([post])
        group.save()
    unit, head = agency["unit"], agency["head"]
    fill(
        make_sheet,
        month,
        people_in(unit, specialist, 6, "CV"),
        unit,
        specialist,
        ["95", "80", "80", "80", "80", "80"],
        head,
    )  # 1 against 5: cap 1, kept
    fill(
        make_sheet,
        month,
        people_in(unit, accountant, 4, "KT"),
        unit,
        accountant,
        ["92", "80", "80", "80"],
        head,
    )  # 1 against 3: cap 0, broken
    make_sheet(month, head, unit, f.position("truong-phong"), "91")  # in no duty group
    check = quota_check(unit, month)
    groups = {g.key: g for g in check.groups}
    by_label = {g.label: g for g in check.groups}
    assert not by_label["Chuyên môn"].broken and by_label["Chuyên môn"].cap == 1
    assert by_label["Kế toán"].broken and by_label["Kế toán"].cap == 0
    assert groups["duty:other"].broken  # the head alone, at level 1 with nobody at level 2


def test_nobody_at_level_2_says_nobody_can_be_at_level_1(agency, people_in, make_sheet, month):
    post = f.position("chuyen-vien")
    unit = agency["unit"]
    fill(
        make_sheet, month, people_in(unit, post, 3), unit, post, ["93", "60", "55"], agency["head"]
    )
    (group,) = [g for g in quota_check(unit, month).groups if g.counts[1]]
    assert group.cap == 0 and group.broken
    assert (
        "(the cap is 0)" in group.check.explanation or "(mức trần là 0)" in group.check.explanation
    )


def test_thirty_percent_of_everyone_and_forty_in_an_exceptional_unit(
    agency, people_in, make_sheet, month
):
    hanoi = rule(grouping=QuotaRule.Grouping.UNIT, percent_of_all=30, exceptional_percent_of_all=40)
    post, unit = f.position("chuyen-vien"), agency["unit"]
    totals = ["95", "94", "93", "92", "80", "80", "80", "80", "80"]  # with the head: 10
    fill(make_sheet, month, people_in(unit, post, 9), unit, post, totals, agency["head"])
    make_sheet(month, agency["head"], unit, f.position("truong-phong"), "85")
    (group,) = quota_check(unit, month).groups
    assert group.cap == 3 and group.excess == 1
    hanoi.exceptional_units.set([unit])
    hanoi.save()
    check = quota_check(unit, month)
    assert check.exceptional and check.groups[0].cap == 4 and not check.broken


def test_absent_and_pending_sheets_are_not_counted(agency, people_in, make_sheet, month):
    post, unit = f.position("chuyen-vien"), agency["unit"]
    people = people_in(unit, post, 3)
    make_sheet(month, people[0], unit, post, "80", evaluator=agency["head"])
    make_sheet(month, people[1], unit, post, "0", state=Evaluation.State.EXCUSED, level=2)
    pending = make_sheet(month, people[2], unit, post, "0", evaluator=agency["head"])
    Evaluation.objects.filter(pk=pending.pk).update(level=None, final_total=None)
    (group,) = [g for g in quota_check(unit, month).groups if g.label == post.name]
    assert group.counts[2] == 1 and group.excused == 1 and group.pending == 1


def test_the_heads_decision_is_recorded_and_shown(agency, specialists, month):
    unit = agency["unit"]
    user = f.user("truong-tckh")
    group = next(g for g in quota_check(unit, month).groups if g.broken)
    keep = {specialists[0].pk, specialists[1].pk}  # keeps 95 and 91.5, moves 93
    record_decision(unit, month, group.key, keep, "Hoàn thành đề án trọng điểm", user)
    decided = next(g for g in quota_check(unit, month).groups if g.key == group.key)
    assert decided.decision.reason == "Hoàn thành đề án trọng điểm"
    assert decided.decision.decided_by == user and decided.decision_current
    assert decided.proposed_counts[1] == 2 and decided.proposed_counts[2] == 11
    assert decided.proposal_keeps_cap
    moved = {row.staff_name: row.proposed_level for row in decided.ranked}
    assert moved[specialists[2].staff.full_name] == 2
    # The sheets themselves keep the level their totals give.
    assert Evaluation.objects.get(pk=specialists[2].pk).level == 1


def test_a_decision_keeping_too_many_or_without_reason_is_refused(agency, specialists, month):
    from django.core.exceptions import ValidationError

    unit = agency["unit"]
    group = next(g for g in quota_check(unit, month).groups if g.broken)
    everyone = {s.pk for s in specialists[:3]}
    with pytest.raises(ValidationError):
        record_decision(unit, month, group.key, everyone, "Lý do", None)
    with pytest.raises(ValidationError):
        record_decision(unit, month, group.key, everyone - {specialists[2].pk}, " ", None)
    assert not QuotaDecision.objects.exists()


def test_many_units_are_checked_in_a_fixed_number_of_queries(
    agency, locality, people_in, make_sheet, month, django_assert_max_num_queries
):
    post = f.position("chuyen-vien")
    units = []
    for index in range(6):
        unit = f.unit(f"Phòng {index}", "agency", locality["district"])
        head = f.staff(f"Trưởng {index}", unit, f.position("truong-phong"))
        fill(
            make_sheet,
            month,
            people_in(unit, post, 5, f"P{index}"),
            unit,
            post,
            ["95", "92", "80", "80", "80"],
            head,
        )
        units.append(unit)
    with django_assert_max_num_queries(8):
        checks = quota_checks(units, month)
    assert all(check.broken for check in checks)
    with django_assert_max_num_queries(8):
        quota_check(units[0], month)
