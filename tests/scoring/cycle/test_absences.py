"""Absences for good cause: a month away is absent, not failed, and nothing counts it."""

import datetime
from decimal import Decimal

import pytest
import tablib
from django.urls import reverse

from scoring.access import roles
from scoring.cycle import periods, reminders, sheets
from scoring.cycle.absences import absent_staff, covers
from scoring.cycle.resources import AbsenceResource
from scoring.lib.spreadsheets import is_clean, run_import
from scoring.models import Absence, AbsenceReason, Evaluation, Period, WorkItem, WorkProduct
from tests import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date


def maternity():
    return AbsenceReason.objects.get(code="thai-san")


def away(person, start, end, reason=None):
    return Absence.objects.create(
        staff=person, reason=reason or maternity(), start_date=start, end_date=end
    )


@pytest.fixture
def eight(locality):
    """The commune chair's eight people: the vice-chair, the clerk and six more."""
    commune, clerk = locality["commune"], locality["clerk_position"]
    extra = [f.staff(f"Công chức {n}", commune, clerk) for n in range(6)]
    return [locality["commune_vice"], locality["commune_clerk"], *extra]


def test_ranges_cover_a_month_only_without_a_gap():
    march = (D(2026, 3, 1), D(2026, 3, 31))
    assert covers([(D(2026, 2, 10), D(2026, 5, 1))], *march)
    assert covers([(D(2026, 3, 1), D(2026, 3, 15)), (D(2026, 3, 16), D(2026, 3, 31))], *march)
    assert not covers([(D(2026, 3, 1), D(2026, 3, 15)), (D(2026, 3, 17), D(2026, 3, 31))], *march)
    assert not covers([(D(2026, 3, 2), D(2026, 3, 31))], *march)


def test_a_month_fully_covered_is_absent_and_a_partly_covered_one_keeps_its_sheet(locality):
    clerk, vice = locality["commune_clerk"], locality["commune_vice"]
    away(clerk, D(2026, 2, 15), D(2026, 8, 14))
    away(vice, D(2026, 3, 10), D(2026, 3, 20))
    periods.open_period(2026, 3)
    assert absent_staff(2026, 3) == {clerk.pk}
    assert Evaluation.objects.get(staff=clerk).state == Evaluation.State.EXCUSED
    assert Evaluation.objects.get(staff=vice).state == Evaluation.State.DRAFT


def test_an_absence_recorded_after_opening_excuses_the_sheet_and_its_removal_restores_it(
    client, locality
):
    period = periods.open_period(2026, 3).period
    client.force_login(f.user("noivu", roles.HOME_AFFAIRS))
    clerk = locality["commune_clerk"]
    response = client.post(
        reverse("absences:add"),
        {
            "staff": clerk.pk,
            "reason": maternity().pk,
            "start_date": "2026-03-01",
            "end_date": "2026-06-30",
            "note": "Sinh con thứ hai",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    absence = Absence.objects.get()
    assert absence.recorded_by.username == "noivu"
    sheet = Evaluation.objects.get(staff=clerk, period=period)
    assert sheet.state == Evaluation.State.EXCUSED
    client.post(reverse("absences:delete", args=[absence.pk]))
    sheet.refresh_from_db()
    assert sheet.state == Evaluation.State.DRAFT


def test_the_leave_month_of_one_of_a_chairs_eight_people_leaves_the_unit_result_at_100(
    locality, eight
):
    on_leave = eight[1]
    away(on_leave, D(2026, 3, 1), D(2026, 3, 31))
    period = periods.open_period(2026, 3).period
    periods.advance_period(period, Period.State.SELF_SCORING)
    product = WorkProduct.objects.get(code="quyet-dinh")
    for person in eight:
        if person == on_leave:
            continue
        evaluation = Evaluation.objects.get(staff=person, period=period)
        WorkItem.objects.create(
            evaluation=evaluation, product=product, deadline=D(2026, 3, 20), done=True
        )
        data = sheets.load(evaluation.pk)
        by_code = {c.code: c.pk for c in data.criteria}
        points = {by_code[code]: ("7", "") for code in ("C1", "C2", "C3")}
        points[by_code["C4"]] = ("5", "")
        sheets.save_self_scores(data, None, points, data.evaluation.version)
        data = sheets.load(evaluation.pk)
        sheets.submit(data, None, data.evaluation.version)
    periods.close_period(period, exception="kiểm thử")
    absent = Evaluation.objects.get(staff=on_leave, period=period)
    assert absent.state == Evaluation.State.EXCUSED
    assert (absent.level, absent.final_total) == (None, None)
    assert absent.explanation == {"absent": True}
    chair = Evaluation.objects.get(staff=locality["commune_chair"], period=period)
    unit_line = next(line for line in chair.explanation["lines"] if line["code"] == "K2")
    assert Decimal(unit_line["points"]) == Decimal("20.00")  # 100% of the 20 points


def test_an_absent_month_gets_no_reminder(locality):
    clerk = locality["commune_clerk"]
    away(clerk, D(2026, 3, 1), D(2026, 3, 31))
    periods.open_period(2026, 3)
    due = reminders.due_sheets(D(2026, 4, 30), days=60)
    assert clerk.pk not in {sheet.staff_id for sheet in due}
    assert locality["commune_vice"].pk in {sheet.staff_id for sheet in due}


def test_the_absent_sheet_says_absent_and_offers_nothing_to_fill(client, locality):
    clerk = locality["commune_clerk"]
    clerk.user = f.user("canbo", roles.STAFF_MEMBER)
    clerk.save()
    away(clerk, D(2026, 3, 1), D(2026, 3, 31))
    period = periods.open_period(2026, 3).period
    periods.advance_period(period, Period.State.SELF_SCORING)
    client.force_login(clerk.user)
    response = client.get(reverse("scoring_my_month"))
    page = response.content.decode()
    assert "Vắng mặt có lý do chính đáng cả tháng" in page
    assert not response.context["can_self_score"] and not response.context["can_plan"]


def test_absences_import_from_a_spreadsheet_and_excuse_the_open_month(locality):
    periods.open_period(2026, 3)
    clerk = locality["commune_clerk"]
    rows = tablib.Dataset(headers=["Mã cán bộ", "Từ ngày", "Đến ngày", "Lý do", "Ghi chú"])
    rows.append([clerk.code, "01/03/2026", "31/05/2026", "Nghỉ thai sản", ""])
    result = run_import(AbsenceResource(), rows, dry_run=False)
    assert is_clean(result)
    assert Evaluation.objects.get(staff=clerk).state == Evaluation.State.EXCUSED
    again = run_import(AbsenceResource(), rows, dry_run=False)
    assert is_clean(again) and Absence.objects.count() == 1


def test_an_unknown_reason_is_refused_with_its_row(locality):
    rows = tablib.Dataset(headers=["Mã cán bộ", "Từ ngày", "Đến ngày", "Lý do"])
    rows.append([locality["commune_clerk"].code, "01/03/2026", "31/03/2026", "Đi chơi"])
    resource = AbsenceResource()
    result = run_import(resource, rows, dry_run=False)
    assert not is_clean(result)
    assert [p.row for p in resource.problems(result)] == [2]
    assert not Absence.objects.exists()


def test_a_unit_head_records_absences_of_their_people_only(client, locality):
    head = locality["agency_head"]
    head.user = f.user("truongphong", roles.UNIT_HEAD)
    head.save()
    client.force_login(head.user)
    form = client.get(reverse("absences:add")).context["form"]
    choices = set(form.fields["staff"].queryset)
    assert locality["agency_specialist"] in choices
    assert locality["commune_clerk"] not in choices
    other = away(locality["commune_clerk"], D(2026, 3, 1), D(2026, 3, 31))
    assert client.get(reverse("absences:edit", args=[other.pk])).status_code == 404
