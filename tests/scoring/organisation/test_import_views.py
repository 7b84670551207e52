"""The admin import and export pages: preview, confirm, download, and who may use them."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from scoring.access import roles
from scoring.models import Assignment, Staff, Unit
from scoring.organisation.admin import import_menu_items as menu_items
from scoring.sheets.imports import UPLOAD_FOLDER
from tests import factories
from tests.jobs import content_of, download, submit

pytestmark = pytest.mark.django_db

STAFF_HEADERS = [
    "Mã cán bộ",
    "Họ và tên",
    "Phân loại",
    "Mã đơn vị",
    "Mã chức vụ",
    "Ngày bắt đầu",
    "Ngày kết thúc",
]
UNIT_HEADERS = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Loại đơn vị",
    "Mã đơn vị cấp trên",
    "Hiệu lực từ",
    "Hiệu lực đến",
]
IMPORT_STAFF = reverse("scoring_imports:import_staff")
IMPORT_UNITS = reverse("scoring_imports:import_units")
EXPORT_STAFF = reverse("scoring_imports:export_staff")
EXPORT_UNITS = reverse("scoring_imports:export_units")


def csv_upload(headers: list, rows: list[list], name: str = "staff.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8-sig"), "text/csv")


def xlsx_upload(headers: list, rows: list[list], name: str = "units.xlsx") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def good_staff_file() -> SimpleUploadedFile:
    return csv_upload(
        STAFF_HEADERS,
        [
            ["CB002", "Trần Thị Bình", "CC", "X01", "chuyen-vien", "01/03/2024", ""],
            ["CB001", "Nguyễn Văn An", "CC", "T01", "chuyen-vien", "01/01/2025", ""],
        ],
    )


def counts() -> tuple[int, int, int]:
    return Unit.objects.count(), Staff.objects.count(), Assignment.objects.count()


def stored_files(media) -> list:
    folder = media / UPLOAD_FOLDER
    return list(folder.iterdir()) if folder.exists() else []


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads waiting for confirmation go to a throwaway media folder."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def org():
    province = factories.unit("Tỉnh Bắc", "province", code="T01")
    commune = factories.unit("Xã Đông", "commune", province, code="X01")
    officer = factories.position("chuyen-vien")
    factories.staff(
        "Nguyễn Văn An", commune, officer, start=datetime.date(2020, 1, 1), code="CB001"
    )
    return {"province": province, "commune": commune}


@pytest.fixture
def home_affairs(client):
    client.force_login(factories.user("noi-vu", roles.HOME_AFFAIRS))
    return client


def preview(client, upload, url=IMPORT_STAFF):
    return submit(client, url, {"file": upload})


# Import: preview, then confirm --------------------------------------------------------------


def test_the_import_page_offers_an_upload_form_with_the_expected_columns(home_affairs):
    response = home_affairs.get(IMPORT_STAFF)

    assert response.status_code == 200
    assert response.context["columns"] == STAFF_HEADERS
    assert b'type="file"' in response.content
    assert EXPORT_STAFF.encode() in response.content


def test_a_preview_shows_what_each_row_will_do_and_writes_nothing(home_affairs, org, media):
    before = counts()

    response = preview(home_affairs, good_staff_file())

    assert response.status_code == 200
    assert counts() == before
    assert response.context["problems"] == []
    assert [(row.number, row.action) for row in response.context["preview_rows"]] == [
        (2, "new"),
        (3, "update"),
    ]
    assert response.context["totals"] == {"new": 1, "update": 1, "skip": 0, "errors": 0}
    assert "confirm_form" in response.context
    assert len(stored_files(media)) == 1


def test_confirming_the_preview_imports_the_stored_file(home_affairs, org, media):
    token = preview(home_affairs, good_staff_file()).context["confirm_form"]["token"].value()

    response = submit(home_affairs, IMPORT_STAFF, {"token": token})

    assert response.status_code == 200
    assert Staff.objects.filter(code="CB002").exists()
    an = Staff.objects.get(code="CB001")
    assert an.post_on(datetime.date(2025, 1, 1)).unit == org["province"]
    assert stored_files(media) == []
    assert "1" in response.context["done"]


def test_a_preview_with_bad_rows_lists_them_and_offers_no_confirmation(home_affairs, org, media):
    upload = csv_upload(
        STAFF_HEADERS,
        [
            ["CB002", "Trần Thị Bình", "CC", "X01", "chuyen-vien", "01/03/2024", ""],
            ["CB003", "", "CC", "X99", "chuyen-vien", "2024-03-01", ""],
        ],
    )
    before = counts()

    response = preview(home_affairs, upload)

    assert response.status_code == 200
    assert counts() == before
    assert {(p.row, p.column) for p in response.context["problems"]} == {
        (3, "Họ và tên"),
        (3, "Mã đơn vị"),
        (3, "Ngày bắt đầu"),
    }
    assert response.context["preview_rows"][0].number == 3
    assert "confirm_form" not in response.context
    # Kept for reading again with other columns, until the sweep removes it.
    assert len(stored_files(media)) == 1


def test_a_file_with_a_wrong_header_is_reported_without_a_row(home_affairs, org):
    upload = csv_upload(["Mã cán bộ", "Tên"], [["CB002", "Bình"]])

    response = preview(home_affairs, upload)

    [problem] = response.context["problems"]
    assert problem.row is None and "Họ và tên" in problem.message
    assert "confirm_form" not in response.context


def test_a_file_that_is_not_xlsx_or_csv_is_refused_by_the_form(home_affairs, org):
    upload = SimpleUploadedFile("staff.xls", b"\xd0\xcf\x11\xe0", "application/vnd.ms-excel")

    response = preview(home_affairs, upload)

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert "confirm_form" not in response.context


def test_a_confirmation_cannot_be_replayed(home_affairs, org):
    token = preview(home_affairs, good_staff_file()).context["confirm_form"]["token"].value()
    first = submit(home_affairs, IMPORT_STAFF, {"token": token})
    after_first = counts()

    response = submit(home_affairs, IMPORT_STAFF, {"token": token})

    # The same confirmation finds the job it started: the file is imported once.
    assert response.status_code == 200
    assert response.context["job"] == first.context["job"]
    assert counts() == after_first


def test_a_forged_or_foreign_token_is_refused(home_affairs, org, client):
    token = preview(home_affairs, good_staff_file()).context["confirm_form"]["token"].value()
    before = counts()

    forged = submit(home_affairs, IMPORT_STAFF, {"token": token[:-2] + "xx"})
    client.force_login(factories.user("other", roles.HOME_AFFAIRS))
    foreign = submit(client, IMPORT_STAFF, {"token": token})
    for_units = submit(home_affairs, IMPORT_UNITS, {"token": token})

    assert forged.status_code == foreign.status_code == for_units.status_code == 302
    assert counts() == before


def test_units_are_previewed_then_imported_from_a_workbook(home_affairs, org):
    upload = xlsx_upload(
        UNIT_HEADERS,
        [
            ["X02", "Xã Tây", "commune", "T01", "01/07/2025", None],
            ["P01", "Phường Một", "ward", "X02", datetime.datetime(2025, 7, 1), None],
        ],
    )
    shown = preview(home_affairs, upload, IMPORT_UNITS)
    assert not Unit.objects.filter(code="X02").exists()

    token = shown.context["confirm_form"]["token"].value()
    submit(home_affairs, IMPORT_UNITS, {"token": token})

    assert Unit.objects.get(code="P01").get_parent().code == "X02"


# Export ---------------------------------------------------------------------------------------


def test_staff_export_downloads_xlsx_by_default_with_the_vietnamese_headers(
    home_affairs, org, jobs_run, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with jobs_run():
        started = home_affairs.get(EXPORT_STAFF)
    response = download(home_affairs, started)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="can-bo-')
    sheet = openpyxl.load_workbook(io.BytesIO(content_of(response))).active
    assert [cell.value for cell in sheet[1]] == STAFF_HEADERS
    assert [cell.value for cell in sheet[2]][:5] == [
        "CB001",
        "Nguyễn Văn An",
        "CC",
        "X01",
        "chuyen-vien",
    ]


def test_units_export_as_csv_opens_in_excel(home_affairs, org, jobs_run, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with jobs_run():
        started = home_affairs.get(EXPORT_UNITS, {"format": "csv"})
    response = download(home_affairs, started)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = content_of(response).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == UNIT_HEADERS
    assert rows[2][:4] == ["X01", "Xã Đông", "commune", "T01"]


def test_an_unknown_export_format_is_refused(home_affairs):
    assert home_affairs.get(EXPORT_STAFF, {"format": "pdf"}).status_code == 400


# Who may use the pages -------------------------------------------------------------------------


@pytest.mark.parametrize("url", [IMPORT_STAFF, IMPORT_UNITS, EXPORT_STAFF, EXPORT_UNITS])
def test_an_admin_user_without_the_permission_gets_403(client, url):
    client.force_login(factories.user("can-bo", roles.STAFF_MEMBER))

    assert client.get(url).status_code == 403
    assert client.post(url, {"file": good_staff_file()}).status_code in (403, 405)


def test_a_user_who_may_only_view_staff_may_export_but_not_import(
    client, org, jobs_run, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(factories.user("danh-gia", roles.EVALUATOR))
    before = counts()

    with jobs_run():
        started = client.get(EXPORT_STAFF)
    assert download(client, started).status_code == 200
    assert client.get(IMPORT_STAFF).status_code == 403
    assert client.post(IMPORT_STAFF, {"file": good_staff_file()}).status_code == 403
    assert counts() == before


@pytest.mark.parametrize("url", [IMPORT_STAFF, EXPORT_UNITS])
def test_a_logged_out_user_is_sent_to_the_login_page(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))


def test_the_menu_items_are_shown_only_to_users_who_may_import():
    request = RequestFactory().get("/admin/")
    items = {item.name: item for item in menu_items()}
    units_item, staff_item = items["import-units"], items["import-staff"]

    request.user = factories.user("noi-vu", roles.HOME_AFFAIRS)
    assert units_item.is_shown(request) and staff_item.is_shown(request)
    request.user = factories.user("danh-gia", roles.EVALUATOR)
    assert not units_item.is_shown(request) and not staff_item.is_shown(request)
    assert staff_item.url == IMPORT_STAFF


def test_uploads_whose_preview_expired_are_swept_by_prune_jobs(home_affairs, org, media):
    preview(home_affairs, good_staff_file())
    assert len(stored_files(media)) == 1
    out = io.StringIO()

    call_command("prune_jobs", "--upload-hours", "1", stdout=out)
    assert len(stored_files(media)) == 1  # still fresh
    call_command("prune_jobs", "--upload-hours", "0", stdout=out)

    assert stored_files(media) == []
