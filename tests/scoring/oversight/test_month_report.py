"""The unit month report: counts and shares, the mean, absences, late sheets, the quota,
who sees it, the document, and a query count that does not grow with the people."""

import datetime
import io
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pytest
from django.urls import reverse

from scoring.models import Absence, AbsenceReason, Evaluation
from scoring.oversight.month_report import month_document, month_report
from tests import factories as f

from .conftest import make_period

pytestmark = pytest.mark.django_db

MONTH = reverse("scoring_oversight_month")
AFTER = datetime.date(2026, 12, 2)  # every deadline of the months below has passed
State = Evaluation.State


@pytest.fixture
def november(db):
    return make_period(2026, 11)


@pytest.fixture
def unit_month(agency, people_in, make_sheet, november):
    """Three evaluated specialists (95, 85, 61.01) and one away all month on maternity."""
    post = f.position("chuyen-vien")
    people = people_in(agency["unit"], post, 4, "Chuyên viên")
    sheets = [
        make_sheet(november, person, agency["unit"], post, total, evaluator=agency["head"])
        for person, total in zip(people[:3], ["95", "85", "61.01"], strict=True)
    ]
    away = make_sheet(november, people[3], agency["unit"], post, "0", evaluator=agency["head"])
    Evaluation.objects.filter(pk=away.pk).update(
        state=State.EXCUSED, self_total=None, final_total=None, level=None
    )
    reason, _ = AbsenceReason.objects.get_or_create(code="thai-san-test", name="Nghỉ thai sản")
    Absence.objects.create(
        staff=people[3],
        reason=reason,
        start_date=datetime.date(2026, 10, 1),
        end_date=datetime.date(2027, 3, 31),
    )
    return {"people": people, "sheets": sheets, "away": away}


def page(period, unit, **extra) -> str:
    query = "&".join(f"{key}={value}" for key, value in extra.items())
    return f"{MONTH}?period={period.pk}&unit={unit.pk}" + (f"&{query}" if query else "")


def test_counts_shares_and_the_mean_leave_the_absent_out(agency, unit_month, november):
    report = month_report(agency["unit"], november, today=AFTER)
    assert [line.full_name for line in report.lines] == [
        "Chuyên viên 00",
        "Chuyên viên 01",
        "Chuyên viên 02",
        "Chuyên viên 03",
    ]
    counts = {row.level: (row.count, row.share) for row in report.levels}
    third = Decimal("33.3")
    assert counts == {1: (1, third), 2: (1, third), 3: (1, third), 4: (0, Decimal("0.0"))}
    assert report.classified == 3 and report.absent == 1 and report.pending == 0
    assert report.mean == Fraction("241.01") / 3
    assert report.mean_shown == Decimal("80.33")


def test_an_absent_person_is_shown_as_absent_with_the_reason(agency, unit_month, november):
    report = month_report(agency["unit"], november, today=AFTER)
    away = report.lines[3]
    assert away.is_absent and away.absence_reason == "Nghỉ thai sản"
    assert away.final_total is None and away.level is None and not away.is_late


def test_a_sheet_not_self_scored_after_the_deadline_is_listed(
    agency, unit_month, november, people_in, make_sheet
):
    post = f.position("chuyen-vien")
    (late,) = people_in(agency["unit"], post, 1, "Chậm")
    sheet = make_sheet(november, late, agency["unit"], post, "80", evaluator=agency["head"])
    Evaluation.objects.filter(pk=sheet.pk).update(
        state=State.DRAFT, self_total=None, final_total=None, level=None
    )
    report = month_report(agency["unit"], november, today=AFTER)
    assert [line.full_name for line in report.late] == ["Chậm 00"]
    assert report.late[0].missing_self and report.late[0].missing_evaluation
    assert report.pending == 1 and report.mean_shown == Decimal("80.33")
    before = month_report(agency["unit"], november, today=datetime.date(2026, 11, 20))
    assert before.late == []


def test_the_quota_summary_of_the_unit(agency, people_in, make_sheet, november):
    post = f.position("chuyen-vien")
    people = people_in(agency["unit"], post, 13, "Chuyên viên")
    totals = ["95", "91.5", "93", *(["85"] * 10)]
    for person, total in zip(people, totals, strict=True):
        make_sheet(november, person, agency["unit"], post, total, evaluator=agency["head"])
    report = month_report(agency["unit"], november, today=AFTER)
    assert report.quota.groups and report.quota.broken
    assert report.quota.groups[0].counts[1] == 3


def test_the_page_for_the_office_and_the_head_but_not_another_unit(
    client, accounts, agency, unit_month, november, locality
):
    client.force_login(accounts["office"])
    response = client.get(page(november, agency["unit"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Chuyên viên 02" in body and "Nghỉ thai sản" in body
    assert "Báo cáo tháng của đơn vị" in body and "Điểm bình quân" in body  # in Vietnamese
    assert f"{reverse('scoring_oversight_quota')}?period={november.pk}&amp;unit=" in body
    client.force_login(accounts["head"])
    assert client.get(page(november, agency["unit"])).status_code == 200
    assert client.get(page(november, locality["commune"])).status_code == 404
    client.force_login(accounts["clerk"])
    assert client.get(MONTH).status_code in (302, 403)


def test_the_xlsx_opens_with_the_title_and_the_people(
    client, accounts, agency, unit_month, november
):
    client.force_login(accounts["office"])
    response = client.get(page(november, agency["unit"], format="xlsx"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "BÁO CÁO KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI THÁNG 11 NĂM 2026" in values
    assert {"Chuyên viên 00", "Chuyên viên 03", "Nghỉ thai sản"} <= set(values)
    assert any(value.startswith("- Hoàn thành xuất sắc nhiệm vụ: 1 người") for value in values)
    assert client.get(page(november, agency["unit"], format="print")).status_code == 200
    assert client.get(page(november, agency["unit"], format="csv")).status_code == 200


def test_the_document_notes_count_the_levels(agency, unit_month, november):
    document = month_document(month_report(agency["unit"], november, today=AFTER))
    assert document.title == "BÁO CÁO KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI THÁNG 11 NĂM 2026"
    assert "- Vắng có lý do chính đáng: 1 người" in document.notes
    assert "Điểm bình quân: 80,33" in document.notes


@pytest.mark.parametrize("headcount", [3, 30])
def test_queries_do_not_grow_with_the_people(
    headcount, agency, people_in, make_sheet, november, django_assert_max_num_queries
):
    post = f.position("chuyen-vien")
    for index, person in enumerate(people_in(agency["unit"], post, headcount)):
        sheet = make_sheet(november, person, agency["unit"], post, 70 + index % 30)
        if index % 3 == 0:
            Evaluation.objects.filter(pk=sheet.pk).update(state=State.EXCUSED, level=None)
    with django_assert_max_num_queries(12):
        report = month_report(agency["unit"], november, today=AFTER)
        month_document(report)
    assert len(report.lines) == headcount
