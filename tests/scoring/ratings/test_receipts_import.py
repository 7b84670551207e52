"""Importing a desk's dossier log: preview, confirm, bad rows, re-import, printable slips."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scoring.access import roles
from scoring.models import Receipt
from scoring.ratings import receipts as receipt_service
from tests import factories as f
from tests.jobs import submit

pytestmark = pytest.mark.django_db

HEADERS = ["Mã hồ sơ", "Thủ tục", "Mã cán bộ", "Ngày tiếp nhận"]
IMPORT = reverse("receipts:import")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads waiting for confirmation go to a throwaway media folder."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def officer(client, locality, desk):
    account = f.user("mot-cua", roles.DESK_OFFICER)
    clerk = locality["commune_clerk"]
    clerk.user = account
    clerk.save()
    client.force_login(account)
    return client


@pytest.fixture
def codes(locality):
    return {"clerk": locality["commune_clerk"].code, "vice": locality["commune_vice"].code}


def csv_file(rows: list[list], headers: list = HEADERS, name: str = "so-ho-so.csv"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8-sig"), "text/csv")


def xlsx_file(rows: list[list], name: str = "so-ho-so.xlsx"):
    book = openpyxl.Workbook()
    book.active.append(HEADERS)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def good_rows(codes) -> list[list]:
    return [
        ["H26-0001", "Đăng ký khai sinh", codes["clerk"], "10/03/2026"],
        ["H26-0002", "Chứng thực bản sao", codes["vice"], "10/03/2026"],
    ]


def preview(client, upload, desk):
    return submit(client, IMPORT, {"desk": desk.pk, "file": upload})


def confirm(client, response):
    form = response.context["confirm_form"]
    return submit(client, IMPORT, {"token": form["token"].value(), "desk": form["desk"].value()})


def test_the_import_page_asks_for_the_desk_and_names_the_columns(officer, desk):
    response = officer.get(IMPORT)
    assert response.status_code == 200
    assert response.context["columns"] == HEADERS
    assert response.context["form"]["desk"].value() == desk.pk  # the officer's only desk


def test_a_good_file_is_previewed_then_imported_with_a_sheet_of_slips(
    officer, locality, desk, codes
):
    shown = preview(officer, csv_file(good_rows(codes)), desk)

    assert shown.status_code == 200
    assert not shown.context["problems"]
    assert shown.context["totals"]["new"] == 2
    assert not Receipt.objects.exists()  # the preview writes nothing

    done = confirm(officer, shown)

    assert done.status_code == 200 and "2" in done.context["done"]
    receipts = list(Receipt.objects.order_by("dossier_code"))
    assert [(r.dossier_code, r.officer, r.desk, r.issued_on) for r in receipts] == [
        ("H26-0001", locality["commune_clerk"], desk, datetime.date(2026, 3, 10)),
        ("H26-0002", locality["commune_vice"], desk, datetime.date(2026, 3, 10)),
    ]
    assert len({r.token for r in receipts}) == 2 and all(len(r.token) >= 40 for r in receipts)
    assert len({r.short_code for r in receipts}) == 2
    slips_url = f"{reverse('receipts:slips')}?ids={receipts[0].pk},{receipts[1].pk}"
    assert [url for url, _label in done.context["done_buttons"]] == [slips_url]

    sheet = officer.get(f"{slips_url}&size=a4")
    assert sheet.status_code == 200
    body = sheet.content.decode()
    assert body.count("<svg") == 2
    for receipt in receipts:
        assert receipt_service.format_short_code(receipt.short_code) in body


def test_an_excel_file_with_real_date_cells_is_imported(officer, desk, codes):
    rows = [["H26-0003", "Đăng ký kết hôn", codes["clerk"], datetime.datetime(2026, 3, 9)]]
    confirm(officer, preview(officer, xlsx_file(rows), desk))
    assert Receipt.objects.get().issued_on == datetime.date(2026, 3, 9)


def test_importing_the_same_file_again_creates_nothing(officer, desk, codes):
    confirm(officer, preview(officer, csv_file(good_rows(codes)), desk))
    stored = list(Receipt.objects.values_list("pk", "token", "short_code"))

    again = preview(officer, csv_file(good_rows(codes)), desk)

    assert not again.context["problems"]
    assert again.context["totals"]["new"] == 0
    assert again.context["already_issued"] == [2, 3]
    confirm(officer, again)
    assert list(Receipt.objects.values_list("pk", "token", "short_code")) == stored


def test_a_log_with_yesterday_and_today_adds_only_the_new_dossiers(officer, desk, codes):
    confirm(officer, preview(officer, csv_file(good_rows(codes)[:1]), desk))
    shown = preview(officer, csv_file(good_rows(codes)), desk)
    assert shown.context["totals"]["new"] == 1 and shown.context["already_issued"] == [2]
    confirm(officer, shown)
    assert Receipt.objects.count() == 2


BAD_ROWS = {
    "unknown officer": (["H9", "Khai sinh", "KHONG-CO", "10/03/2026"], "Mã cán bộ", "KHONG-CO"),
    "officer not at this desk": (["H9", "Khai sinh", "@outsider", "10/03/2026"], "Mã cán bộ", ""),
    "empty procedure": (["H9", "", "@clerk", "10/03/2026"], "Thủ tục", "Thủ tục"),
    "empty dossier code": (["", "Khai sinh", "@clerk", "10/03/2026"], "Mã hồ sơ", "Mã hồ sơ"),
    "bad date": (["H9", "Khai sinh", "@clerk", "2026-03-10"], "Ngày tiếp nhận", "2026-03-10"),
    "no such day": (["H9", "Khai sinh", "@clerk", "30/02/2026"], "Ngày tiếp nhận", "30/02/2026"),
    "future date": (["H9", "Khai sinh", "@clerk", "01/01/2999"], "Ngày tiếp nhận", "01/01/2999"),
    "duplicate in the file": (["H26-0001", "Kết hôn", "@vice", "10/03/2026"], "Mã hồ sơ", "2"),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_a_bad_row_is_reported_with_its_row_and_nothing_is_written(
    officer, locality, desk, codes, case
):
    row, column, in_message = BAD_ROWS[case]
    people = {"@clerk": codes["clerk"], "@vice": codes["vice"]}
    people["@outsider"] = locality["agency_specialist"].code
    row = [people.get(cell, cell) for cell in row]

    shown = preview(officer, csv_file([*good_rows(codes), row]), desk)

    problems = shown.context["problems"]
    assert [(problem.row, problem.column) for problem in problems] == [(4, column)]
    assert in_message in problems[0].message
    assert "confirm_form" not in shown.context
    assert not Receipt.objects.exists()


def test_a_dossier_already_at_the_desk_with_other_details_is_refused(
    officer, locality, desk, codes
):
    receipt_service.issue_receipt(
        desk, locality["commune_vice"], "H26-0001", "Đăng ký kết hôn", datetime.date(2026, 3, 9)
    )

    shown = preview(officer, csv_file(good_rows(codes)), desk)

    (problem,) = shown.context["problems"]
    assert (problem.row, problem.column) == (2, "Mã hồ sơ")
    assert "H26-0001" in problem.message and "09/03/2026" in problem.message
    assert Receipt.objects.count() == 1


def test_the_same_dossier_code_at_another_desk_is_a_new_receipt(
    officer, locality, desk, other_desk, codes
):
    receipt_service.issue_receipt(
        other_desk, locality["agency_specialist"], "H26-0001", "Khai sinh"
    )
    shown = preview(officer, csv_file(good_rows(codes)), desk)
    assert shown.context["totals"]["new"] == 2


def test_missing_columns_are_reported_before_any_row(officer, desk, codes):
    shown = preview(officer, csv_file([["H1", "Khai sinh"]], headers=HEADERS[:2]), desk)
    (problem,) = shown.context["problems"]
    assert problem.row is None and "Mã cán bộ" in problem.message
    assert not Receipt.objects.exists()


def test_an_officer_cannot_import_into_a_desk_they_do_not_serve(officer, other_desk, locality):
    rows = [["H1", "Khai sinh", locality["agency_specialist"].code, "10/03/2026"]]
    response = preview(officer, csv_file(rows), other_desk)
    assert response.status_code == 404
    assert not Receipt.objects.exists()


def test_a_preview_confirmed_for_another_desk_is_stale(client, locality, desk, other_desk):
    client.force_login(f.user("noi-vu", roles.HOME_AFFAIRS))
    rows = [["H1", "Khai sinh", locality["commune_clerk"].code, "10/03/2026"]]
    shown = preview(client, csv_file(rows), desk)
    token = shown.context["confirm_form"]["token"].value()

    response = submit(client, IMPORT, {"token": token, "desk": other_desk.pk})

    assert response.status_code == 302 and response["Location"] == IMPORT
    assert not Receipt.objects.exists()


def test_a_user_without_the_right_to_add_receipts_cannot_import(client, desk):
    client.force_login(f.user("can-bo", roles.STAFF_MEMBER))
    assert client.get(IMPORT).status_code == 403
