"""Consolidation's state machine, end to end: units submit their month, the office
reopens a unit with a reason, locks the month (all submitted, or an exception naming the
rest), the locked month refuses every change path and its exports stay byte-identical,
and only the office's reopen with a reason brings it back."""

import datetime
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from scoring.access import roles
from scoring.cycle import closing, periods, sheets
from scoring.lib.documents import write_file
from scoring.models import (
    CriterionScore,
    Evaluation,
    MonthLock,
    Period,
    PeriodReopening,
    Receipt,
    UnitMonth,
)
from scoring.oversight.locality import locality_document, locality_report
from scoring.oversight.month_report import month_document, month_report
from scoring.ratings import desks
from tests import factories as f

pytestmark = pytest.mark.django_db

MONTH = reverse("scoring_oversight_month")
LOCALITY = reverse("scoring_oversight_locality")
State = Evaluation.State


@pytest.fixture
def march(locality):
    """March 2026 opened for the locality, every sheet evaluated at 80 (level 2)."""
    period = periods.open_period(2026, 3).period
    periods.advance_period(period, Period.State.EVALUATION)
    Evaluation.objects.filter(period=period).update(
        state=State.APPROVED, self_total=Decimal("80"), final_total=Decimal("80"), level=2
    )
    return period


@pytest.fixture
def office(client):
    account = f.user("noivu", roles.HOME_AFFAIRS)
    client.force_login(account)
    return client


@pytest.fixture
def head(locality):
    """The head of Phòng Nội vụ, logged in."""
    account = f.user("truongphong", roles.UNIT_HEAD)
    person = locality["agency_head"]
    person.user = account
    person.save()
    client = Client()
    client.force_login(account)
    return client


def agency_of(locality):
    return locality["agency_head"].assignments.get().unit


def submit_all(period, user=None):
    for unit in closing.month_units(period):
        closing.submit_unit_month(period, unit, user)


def report_url(period, unit):
    return f"{MONTH}?period={period.pk}&unit={unit.pk}"


# --- A unit submits; the office reopens it -------------------------------------------


def test_the_head_submits_and_the_units_sheets_are_held(head, march, locality):
    agency = agency_of(locality)
    page = head.get(report_url(march, agency)).content.decode()
    assert "Nộp báo cáo cho cơ quan nội vụ" in page
    response = head.post(MONTH, {"period": march.pk, "unit": agency.pk, "action": "submit"})
    assert response.status_code == 302
    row = UnitMonth.objects.get(period=march, unit=agency)
    assert row.is_submitted and row.submitted_by_name == "Lê Thị Trưởng"
    page = head.get(report_url(march, agency)).content.decode()
    assert "Đã nộp lúc" in page and "Lê Thị Trưởng" in page
    assert ModelLogEntry.objects.filter(action="scoring.unit_month_submitted").count() == 1

    sheet = Evaluation.objects.filter(period=march, unit=agency).first()
    assert "đã nộp báo cáo" in sheets.edit_refusal(sheet)
    assert "đã nộp báo cáo" in sheets.evaluation_refusal(sheet)


def test_a_submitted_units_sheets_refuse_raw_sql(march, locality):
    agency = agency_of(locality)
    closing.submit_unit_month(march, agency, None)
    sheet = Evaluation.objects.filter(period=march, unit=agency).first()
    criterion = sheet.criteria_set.groups.first().criteria.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        CriterionScore.objects.create(evaluation=sheet, criterion=criterion, self_points=5)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE scoring_evaluation SET state = 'draft' WHERE id = %s", [sheet.pk])
    assert Evaluation.objects.get(pk=sheet.pk).state == State.APPROVED
    # another unit, not submitted, still changes
    other = Evaluation.objects.filter(period=march).exclude(unit=agency).first()
    Evaluation.objects.filter(pk=other.pk).update(state=State.SUBMITTED)


def test_a_unit_with_sheets_not_evaluated_cannot_submit_and_is_told_who(head, march, locality):
    agency = agency_of(locality)
    sheet = Evaluation.objects.filter(period=march, unit=agency).first()
    Evaluation.objects.filter(pk=sheet.pk).update(state=State.SUBMITTED)
    page = head.get(report_url(march, agency)).content.decode()
    assert "chưa được đánh giá" in page and sheet.staff.full_name in page
    assert "Nộp báo cáo cho cơ quan nội vụ" not in page
    head.post(MONTH, {"period": march.pk, "unit": agency.pk, "action": "submit"})
    assert not UnitMonth.objects.filter(submitted_at__isnull=False).exists()


def test_someone_who_does_not_head_the_unit_cannot_submit_it(office, march, locality):
    agency = agency_of(locality)
    response = office.post(MONTH, {"period": march.pk, "unit": agency.pk, "action": "submit"})
    assert response.status_code in (302, 403)  # Wagtail turns a refusal into a redirect
    assert not UnitMonth.objects.exists()


def test_the_office_reopens_a_unit_only_with_a_reason(office, march, locality):
    agency = agency_of(locality)
    closing.submit_unit_month(march, agency, None)
    office.post(MONTH, {"period": march.pk, "unit": agency.pk, "action": "reopen", "reason": " "})
    assert UnitMonth.objects.get(unit=agency).is_submitted
    office.post(
        MONTH,
        {
            "period": march.pk,
            "unit": agency.pk,
            "action": "reopen",
            "reason": "Sai điểm của 1 người",
        },
    )
    row = UnitMonth.objects.get(unit=agency)
    assert not row.is_submitted and row.reopen_reason == "Sai điểm của 1 người"
    entry = ModelLogEntry.objects.get(action="scoring.unit_month_reopened")
    assert entry.data["reason"] == "Sai điểm của 1 người"
    page = office.get(report_url(march, agency)).content.decode()
    assert "Mở lại lúc" in page and "Sai điểm của 1 người" in page
    sheet = Evaluation.objects.filter(period=march, unit=agency).first()
    assert sheets.edit_refusal(sheet) is None or "đã nộp" not in sheets.edit_refusal(sheet)


def test_a_unit_head_cannot_reopen(head, march, locality):
    agency = agency_of(locality)
    closing.submit_unit_month(march, agency, None)
    response = head.post(
        MONTH, {"period": march.pk, "unit": agency.pk, "action": "reopen", "reason": "x"}
    )
    assert response.status_code in (302, 403)  # Wagtail turns a refusal into a redirect
    assert UnitMonth.objects.get(unit=agency).is_submitted


# --- The locality report -------------------------------------------------------------


def test_the_locality_report_sets_the_units_side_by_side(office, march, locality):
    agency = agency_of(locality)
    closing.submit_unit_month(march, agency, None)
    report = locality_report(march)
    units = closing.month_units(march)
    assert [row.unit for row in report.rows] == units
    assert report.totals.sheets == Evaluation.objects.filter(period=march).count()
    assert report.totals.counts[2] == report.totals.sheets
    assert report.totals.mean_shown == Decimal("80.00")
    assert [row.unit for row in report.rows if row.submitted] == [agency]
    page = office.get(f"{LOCALITY}?period={march.pk}").content.decode()
    assert report_url(march, agency).replace("&", "&amp;") in page  # drill-down
    assert "chưa nộp" in page and reverse("periods:close", args=[march.pk]) in page


def test_the_locality_report_in_english(office, march):
    with translation.override("en"):
        page = office.get(f"{LOCALITY}?period={march.pk}", HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert "not submitted" in body or "chưa nộp" in body


@pytest.mark.parametrize("extra_units", [0, 12])
def test_the_locality_reports_queries_do_not_grow_with_units(
    extra_units, march, locality, django_assert_max_num_queries
):
    post = f.position("chuyen-vien")
    for index in range(extra_units):
        unit = f.unit(f"Phòng số {index}", "agency", locality["district"])
        for person in range(3):
            staff = f.staff(f"Người {index}-{person}", unit, post)
            Evaluation.objects.create(
                period=march,
                staff=staff,
                criteria_set=Evaluation.objects.first().criteria_set,
                unit=unit,
                position=post,
                state=State.APPROVED,
                final_total=Decimal("91"),
                level=1,
            )
    with django_assert_max_num_queries(16):
        report = locality_report(march)
        locality_document(report)
    assert len(report.rows) == len(closing.month_units(march))


# --- The lock ------------------------------------------------------------------------


def test_the_lock_is_refused_while_a_unit_has_not_submitted(march, locality):
    agency = agency_of(locality)
    closing.submit_unit_month(march, agency, None)
    with pytest.raises(ValidationError, match="chưa nộp báo cáo"):
        periods.close_period(march)
    assert not Period.objects.get(pk=march.pk).is_closed


def test_a_lock_with_an_exception_names_the_units_left_out(march, locality):
    agency = agency_of(locality)
    closing.submit_unit_month(march, agency, None)
    missing = [u for u in closing.month_units(march) if u != agency]
    march = periods.close_period(march, exception="Quá hạn tổng hợp của UBND huyện")
    lock = MonthLock.objects.get(period=march)
    assert set(lock.unsubmitted.all()) == set(missing)
    assert lock.exception == "Quá hạn tổng hợp của UBND huyện"
    document = locality_document(locality_report(march))
    assert any("Quá hạn tổng hợp" in note for note in document.notes)


def test_the_office_locks_through_the_page_as_a_job(office, march, locality, jobs_run):
    submit_all(march)
    url = reverse("periods:close", args=[march.pk])
    assert "Mọi đơn vị đã nộp báo cáo" in office.get(url).content.decode()
    with jobs_run():
        response = office.post(url)
    assert response.status_code == 302
    march.refresh_from_db()
    assert march.is_closed
    lock = MonthLock.objects.get(period=march)
    assert not lock.unsubmitted.exists() and lock.exception == ""


def exports(period, unit):
    """The unit's and the locality's XLSX and CSV, as downloaded."""
    unit_doc = month_document(month_report(unit, period))
    locality_doc = locality_document(locality_report(period))
    return [write_file(doc, kind) for doc in (unit_doc, locality_doc) for kind in ("xlsx", "csv")]


def test_a_locked_month_refuses_every_path_and_its_exports_do_not_change(
    march, locality, desk, head, tmp_path
):
    agency = agency_of(locality)
    submit_all(march)
    periods.close_period(march)
    march.refresh_from_db()
    before = exports(march, agency)
    sheet = Evaluation.objects.filter(period=march, unit=agency).first()

    # the services behind the admin's views
    assert "khóa sổ" in sheets.edit_refusal(sheet) or "đã khóa" in sheets.edit_refusal(sheet)
    with pytest.raises(ValidationError):
        closing.reopen_unit_month(march, agency, None, "muốn sửa")
    # the admin: the head's submit and a sheet page's save
    head.post(MONTH, {"period": march.pk, "unit": agency.pk, "action": "submit"})
    # commands
    with pytest.raises(CommandError):
        call_command("open_period", "2026-03", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("advance_period", "2026-03", "evaluation", stdout=io.StringIO())
    # the receipt API
    token = desks.new_desk_secret(desk, "api_token_hash")
    response = Client().post(
        reverse("scoring_api:receipts"),
        json.dumps(
            {
                "dossier_code": "H26-03-0001",
                "procedure": "Đăng ký khai sinh",
                "officer_code": locality["commune_clerk"].code,
                "issued_on": "2026-03-20",
            }
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400 and not Receipt.objects.exists()
    # raw SQL
    for statement in (
        "UPDATE scoring_evaluation SET final_total = 100 WHERE period_id = %s",
        "UPDATE scoring_period SET state = 'evaluation' WHERE id = %s",
        "UPDATE scoring_period SET state = 'evaluation', revision = revision + 1 WHERE id = %s",
        "DELETE FROM scoring_evaluation WHERE period_id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [march.pk])

    march.refresh_from_db()
    assert march.is_closed
    assert exports(march, agency) == before
    # the command writes the very bytes of the download
    target = tmp_path / "tong-hop.xlsx"
    call_command("locality_report", "2026-03", "--output", str(target), stdout=io.StringIO())
    assert target.read_bytes() == before[2]
    target = tmp_path / "don-vi.xlsx"
    call_command(
        "month_report", agency.code, "2026-03", "--output", str(target), stdout=io.StringIO()
    )
    assert target.read_bytes() == before[0]
    sheet_rows = list(openpyxl.load_workbook(io.BytesIO(before[2])).active.values)
    text = " ".join(str(cell) for row in sheet_rows for cell in row if cell)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "BÁO CÁO TỔNG HỢP" in text


# --- Reopening the month -------------------------------------------------------------


def test_only_the_offices_reopen_with_a_reason_unlocks_the_month(office, march, locality):
    submit_all(march)
    periods.close_period(march)
    url = reverse("periods:reopen", args=[march.pk])
    office.post(url, {"reason": ""})
    assert Period.objects.get(pk=march.pk).is_closed
    response = office.post(url, {"reason": "Sai sót số liệu của Phòng Nội vụ"})
    assert response.status_code == 302
    march.refresh_from_db()
    assert march.state == Period.State.EVALUATION and march.revision == 1
    assert PeriodReopening.objects.get(period=march).reason == "Sai sót số liệu của Phòng Nội vụ"
    entry = ModelLogEntry.objects.get(action="scoring.reopen_period")
    assert entry.data["reason"] == "Sai sót số liệu của Phòng Nội vụ"
    # the units stay held until reopened one by one; then the month locks again
    agency = agency_of(locality)
    assert UnitMonth.objects.get(unit=agency).is_submitted
    periods.close_period(march)
    assert MonthLock.objects.filter(period=march).count() == 2


def test_a_unit_head_cannot_reopen_a_locked_month(head, march):
    submit_all(march)
    periods.close_period(march)
    response = head.post(reverse("periods:reopen", args=[march.pk]), {"reason": "x"})
    assert response.status_code in (302, 403)
    assert Period.objects.get(pk=march.pk).is_closed


def test_the_reopen_command_needs_a_reason(march):
    submit_all(march)
    periods.close_period(march)
    with pytest.raises(CommandError):
        call_command("reopen_period", "2026-03", "--reason", "  ", stdout=io.StringIO())
    call_command("reopen_period", "2026-03", "--reason", "Kiểm tra lại", stdout=io.StringIO())
    assert Period.objects.get(pk=march.pk).state == Period.State.EVALUATION


def test_a_raw_reopening_row_without_a_reason_is_refused(march):
    submit_all(march)
    periods.close_period(march)
    with pytest.raises(DatabaseError), transaction.atomic():
        PeriodReopening.objects.create(period=march, revision=1, reason="")


def test_the_document_of_a_submitted_unit_is_dated_the_day_it_was_submitted(march, locality):
    agency = agency_of(locality)
    row = closing.submit_unit_month(march, agency, None)
    UnitMonth.objects.filter(pk=row.pk).update(
        submitted_at=datetime.datetime(2026, 4, 3, 9, tzinfo=datetime.UTC)
    )
    document = month_document(month_report(agency, march))
    assert document.day == datetime.date(2026, 4, 3)


def test_an_open_contest_shows_on_the_report_and_holds_its_submission(head, march, locality):
    from scoring.models import Contest

    agency = agency_of(locality)
    sheet = Evaluation.objects.get(period=march, staff=locality["agency_specialist"])
    contest = Contest.objects.create(
        evaluation=sheet,
        grounds="Tôi không đồng ý với điểm tiêu chí 2",
        decider=locality["district_chair"],
        old_total=sheet.final_total,
        old_level=sheet.level,
    )
    page = head.get(report_url(march, agency)).content.decode()
    assert "Phạm Văn Chuyên" in page and reverse("scoring_contest", args=[contest.pk]) in page
    assert "Nộp báo cáo cho cơ quan nội vụ" not in page
    head.post(MONTH, {"period": march.pk, "unit": agency.pk, "action": "submit"})
    assert not UnitMonth.objects.filter(unit=agency, submitted_at__isnull=False).exists()
    with pytest.raises(ValidationError):
        submission_of(march, agency)


def submission_of(period, unit):
    from scoring.oversight import submission

    return submission.submit(month_report(unit, period), None)


def test_a_head_above_the_unit_reads_its_sheets_and_no_one_else_does(march, locality):
    """The flags and the unit report link to sheets: the heads who follow them open them."""
    sheet = Evaluation.objects.get(period=march, staff=locality["agency_specialist"])
    url = reverse("scoring_review", args=[sheet.pk])
    for person, expected in (("district_chair", 200), ("commune_chair", 404)):
        account = f.user(f"login-{person}", roles.UNIT_HEAD)
        staff = locality[person]
        staff.user = account
        staff.save()
        client = Client()
        client.force_login(account)
        assert client.get(url).status_code == expected, person
