"""The month's progress per unit: the figures of a worked month, the month chosen, who is
late, the flags, scope, and a query count that does not grow with units or people."""

import datetime

import pytest

from scoring.dashboard import progress
from scoring.models import Period, UnitMonth
from tests import factories as f

from .conftest import AFTER, make_period

pytestmark = pytest.mark.django_db


def figures_of(unit):
    return {
        "sheets": unit.sheets,
        "planned": unit.planned,
        "self_scored": unit.self_scored,
        "evaluated": unit.evaluated,
        "absent": unit.absent,
        "late": unit.late,
    }


def test_the_figures_of_a_worked_month_per_unit_and_in_total(
    worked_month, agency, locality, november
):
    month = progress.month_progress(november, today=AFTER)
    # In tree order: the commune was added to the district before this agency.
    assert [unit.name for unit in month.units] == ["Xã Quyết Tiến", agency["unit"].name]
    paths = [unit.path for unit in month.units]
    assert paths == sorted(paths)
    commune_row, agency_row = month.units
    assert figures_of(agency_row) == {
        "sheets": 7,
        "planned": 3,
        "self_scored": 4,
        "evaluated": 3,
        "absent": 1,
        "late": 3,  # the self-scored one not evaluated, and both drafts
    }
    assert agency_row.stages == {
        "evaluated": 3,
        "awaiting_evaluation": 1,
        "planned": 1,
        "not_started": 1,
        "absent": 1,
    }
    assert not agency_row.is_submitted
    assert figures_of(commune_row) == {
        "sheets": 2,
        "planned": 0,
        "self_scored": 1,
        "evaluated": 0,
        "absent": 0,
        "late": 2,
    }
    assert commune_row.submitted_at == worked_month["submitted_at"]
    assert figures_of(month.total) == {
        "sheets": 9,
        "planned": 3,
        "self_scored": 5,
        "evaluated": 3,
        "absent": 1,
        "late": 5,
    }
    assert sum(month.total.stages.values()) == month.total.sheets


def test_lateness_is_the_month_reports_rule(worked_month, agency, november):
    from scoring.oversight.month_report import month_report

    report = month_report(agency["unit"], november, today=AFTER)
    month = progress.month_progress(november, today=AFTER)
    assert month.units[1].name == agency["unit"].name
    assert month.units[1].late == len(report.late) == 3


def test_before_the_deadlines_nothing_is_late(worked_month, november):
    month = progress.month_progress(november, today=datetime.date(2026, 11, 10))
    assert month.total.late == 0
    assert month.overdue_units == [] and month.late_units == []


def test_after_the_evaluation_deadline_the_unsubmitted_units_are_overdue(
    worked_month, agency, november
):
    month = progress.month_progress(november, today=AFTER)
    assert [unit.name for unit in month.overdue_units] == [agency["unit"].name]
    assert [(unit.name, unit.late) for unit in month.late_units] == [
        (agency["unit"].name, 3),
        ("Xã Quyết Tiến", 2),
    ]


def test_the_open_flags_of_the_month(worked_month, agency, november):
    month = progress.month_progress(november, today=AFTER)
    assert [flag.kind for flag in month.flags] == ["leniency"]
    assert month.flags[0].unit_id == agency["unit"].pk


def test_a_head_reads_only_the_units_they_head_and_those_below(
    worked_month, agency, make_sheet, november
):
    below = f.unit("Tổ Ngân sách", "agency", agency["unit"])
    post = f.position("chuyen-vien")
    sheet = make_sheet(november, f.staff("Người Tổ", below, post), below, post, "85")
    assert sheet.unit == below
    month = progress.month_progress(november, (agency["unit"].path,), today=AFTER)
    assert [unit.name for unit in month.units] == [agency["unit"].name, "Tổ Ngân sách"]
    assert month.total.sheets == 8
    nobody = progress.month_progress(november, (), today=AFTER)
    assert nobody.units == [] and nobody.total.sheets == 0 and nobody.flags == []


def test_this_month_is_the_newest_month_not_locked_else_the_newest(db):
    assert progress.this_month() is None
    october = make_period(2026, 10)
    november = make_period(2026, 11)
    assert progress.this_month() == november
    Period.objects.filter(pk=november.pk).update(state=Period.State.CLOSED)
    assert progress.this_month() == october
    Period.objects.filter(pk=october.pk).update(state=Period.State.CLOSED)
    assert progress.this_month() == november


def test_a_locked_month_has_no_overdue_unit(worked_month, november):
    Period.objects.filter(pk=november.pk).update(state=Period.State.CLOSED)
    november.refresh_from_db()
    assert progress.month_progress(november, today=AFTER).overdue_units == []


@pytest.mark.parametrize("units, headcount", [(2, 3), (8, 12)])
def test_queries_do_not_grow_with_units_or_people(
    units,
    headcount,
    agency,
    people_in,
    make_sheet,
    add_plan,
    november,
    django_assert_max_num_queries,
):
    post = f.position("chuyen-vien")
    for index in range(units):
        unit = f.unit(f"Phòng {index:02d}", "agency", agency["unit"])
        for person in people_in(unit, post, headcount, f"Người {index:02d}"):
            add_plan(make_sheet(november, person, unit, post, "85", evaluator=agency["head"]))
        UnitMonth.objects.create(period=november, unit=unit)
    with django_assert_max_num_queries(9):
        month = progress.month_progress(november, today=AFTER)
    assert len(month.units) == units and month.total.sheets == units * headcount
