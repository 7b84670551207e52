"""Spreadsheet import and export of units and staff: all or nothing, by row, re-runnable."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from scoring.lib.spreadsheets import (
    RowProblem,
    export_file,
    is_clean,
    read_table,
    run_import,
)
from scoring.models import Assignment, Staff, Unit, UnitChange
from scoring.organisation.resources import StaffResource, UnitResource
from tests import factories

pytestmark = pytest.mark.django_db

UNIT_HEADERS = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Loại đơn vị",
    "Mã đơn vị cấp trên",
    "Hiệu lực từ",
    "Hiệu lực đến",
]
STAFF_HEADERS = [
    "Mã cán bộ",
    "Họ và tên",
    "Phân loại",
    "Mã đơn vị",
    "Mã chức vụ",
    "Ngày bắt đầu",
    "Ngày kết thúc",
]
FORMATS = ["xlsx", "csv"]


def xlsx_file(headers: list, rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_file(headers: list, rows: list[list], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return out.getvalue().encode("utf-8-sig")


def spreadsheet(kind: str, headers: list, rows: list[list]) -> tuple[bytes, str]:
    maker = xlsx_file if kind == "xlsx" else csv_file
    return maker(headers, rows), f"file.{kind}"


def run(resource_class, content: bytes, filename: str, *, dry_run: bool = False):
    """Import a file in English (the msgids) and return the result and its problems."""
    resource = resource_class()
    with translation.override("en"):
        table = read_table(content, filename, resource.vocabulary())
        result = run_import(resource, table, dry_run=dry_run)
        return result, resource.problems(result)


def counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "staff": Staff.objects.count(),
        "posts": Assignment.objects.count(),
        "changes": UnitChange.objects.count(),
    }


def snapshot() -> list:
    units = list(Unit.objects.order_by("pk").values())
    people = list(Staff.objects.order_by("pk").values())
    posts = list(Assignment.objects.order_by("pk").values())
    return [units, people, posts]


@pytest.fixture
def org():
    """A province with one commune, two positions and one civil servant in post."""
    province = factories.unit("Tỉnh Bắc", "province", code="T01")
    commune = factories.unit("Xã Đông", "commune", province, code="X01")
    officer = factories.position("chuyen-vien")
    chair = factories.position("chu-tich", is_head=True, rank=1)
    person = factories.staff(
        "Nguyễn Văn An", commune, officer, start=datetime.date(2020, 1, 1), code="CB001"
    )
    return {
        "province": province,
        "commune": commune,
        "officer": officer,
        "chair": chair,
        "person": person,
    }


def staff_row(code="CB002", name="Trần Thị Bình", category="CC", unit="X01", start="01/03/2024"):
    return [code, name, category, unit, "chuyen-vien", start, None]


# Units --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", FORMATS)
def test_a_good_units_file_builds_the_tree_with_parents_listed_earlier_in_the_file(org, kind):
    rows = [
        ["X02", "Xã Tây", "commune", "T01", "01/07/2025", None],
        ["T02", "Tỉnh Nam", "province", None, "01/01/2000", None],
        ["P01", "Phường Một", "ward", "T02", "01/07/2025", "31/12/2030"],
    ]
    result, problems = run(UnitResource, *spreadsheet(kind, UNIT_HEADERS, rows))

    assert problems == []
    assert result.totals["new"] == 3
    ward = Unit.objects.get(code="P01")
    assert ward.get_parent().code == "T02"
    assert ward.valid_to == datetime.date(2030, 12, 31)
    assert Unit.objects.get(code="X02").get_parent() == org["province"]
    assert Unit.objects.get(code="T02").is_root()
    assert Unit.find_problems() == ([], [], [], [], [])


def test_real_date_cells_from_a_workbook_are_accepted(org):
    rows = [["X02", "Xã Tây", "commune", "T01", datetime.datetime(2025, 7, 1), None]]
    result, problems = run(UnitResource, xlsx_file(UNIT_HEADERS, rows), "units.xlsx")

    assert problems == []
    assert Unit.objects.get(code="X02").valid_from == datetime.date(2025, 7, 1)


@pytest.mark.parametrize("kind", FORMATS)
def test_importing_the_same_units_file_twice_changes_nothing(org, kind):
    rows = [
        ["T01", "Tỉnh Bắc", "province", None, "01/01/2000", None],
        ["X02", "Xã Tây", "commune", "T01", "01/07/2025", None],
        ["P01", "Phường Một", "ward", "X02", "01/07/2025", None],
    ]
    content, name = spreadsheet(kind, UNIT_HEADERS, rows)
    run(UnitResource, content, name)
    before, before_counts = snapshot(), counts()

    result, problems = run(UnitResource, content, name)

    assert problems == []
    assert result.totals["skip"] == 3
    assert result.totals["new"] == result.totals["update"] == 0
    assert snapshot() == before
    assert counts() == before_counts


def test_an_import_cannot_move_a_unit_to_another_parent(org):
    factories.unit("Tỉnh Nam", "province", code="T02")
    rows = [["X01", "Xã Đông", "commune", "T02", "01/01/2000", None]]
    before = counts()

    result, problems = run(UnitResource, csv_file(UNIT_HEADERS, rows), "units.csv")

    assert [(p.row, p.column) for p in problems] == [(2, "Mã đơn vị cấp trên")]
    assert "cannot move a unit" in problems[0].message
    assert org["commune"].get_parent(update=True) == org["province"]
    assert counts() == before


def test_a_unit_listed_before_its_parent_is_refused_with_the_parents_row(org):
    rows = [
        ["P01", "Phường Một", "ward", "X09", "01/07/2025", None],
        ["X09", "Xã Chín", "commune", "T01", "01/07/2025", None],
    ]
    before = counts()

    result, problems = run(UnitResource, csv_file(UNIT_HEADERS, rows), "units.csv")

    assert problems == [
        RowProblem(
            2,
            "Mã đơn vị cấp trên",
            "Unit “X09” is defined further down, on row 3; "
            "list parent units before their children.",
        )
    ]
    assert counts() == before


def test_a_renamed_unit_keeps_its_old_name_for_earlier_months(org):
    rows = [["X01", "Phường Đông", "commune", "T01", "01/01/2000", None]]

    result, problems = run(UnitResource, csv_file(UNIT_HEADERS, rows), "units.csv")

    assert problems == [] and result.totals["update"] == 1
    commune = Unit.objects.get(code="X01")
    assert commune.name == "Phường Đông"
    assert commune.name_on(datetime.date(2020, 1, 1)) == "Xã Đông"


def test_an_unknown_unit_kind_is_reported_on_its_row(org):
    rows = [["X02", "Xã Tây", "hamlet", "T01", "01/07/2025", None]]

    result, problems = run(UnitResource, csv_file(UNIT_HEADERS, rows), "units.csv")

    assert problems == [RowProblem(2, "Loại đơn vị", "Unknown unit kind “hamlet”.")]


def test_a_unit_ending_before_it_starts_is_refused(org):
    rows = [["X02", "Xã Tây", "commune", "T01", "01/07/2025", "30/06/2025"]]

    result, problems = run(UnitResource, csv_file(UNIT_HEADERS, rows), "units.csv")

    assert problems == [RowProblem(2, "Hiệu lực đến", "The end date is before the start date.")]
    assert not Unit.objects.filter(code="X02").exists()


@pytest.mark.parametrize("kind", FORMATS)
def test_exported_units_import_again_without_any_change(org, kind):
    factories.unit(
        "Phường Một", "ward", org["commune"], code="P01", valid_to=datetime.date(2030, 1, 1)
    )
    content = export_file(UnitResource(), kind)
    before = snapshot()

    result, problems = run(UnitResource, content, f"units.{kind}")

    assert problems == []
    assert result.totals["skip"] == 3
    assert snapshot() == before


def test_the_units_export_reads_the_tree_in_one_query(org):
    for number in range(5):
        factories.unit(f"Thôn {number}", "ward", org["commune"], code=f"TH{number}")

    with CaptureQueriesContext(connection) as queries:
        dataset = UnitResource().export()

    assert len(queries) == 1
    assert dataset.headers == UNIT_HEADERS
    assert dataset.dict[0]["Mã đơn vị"] == "T01"
    assert dataset.dict[0]["Mã đơn vị cấp trên"] == ""
    assert dataset.dict[1]["Mã đơn vị cấp trên"] == "T01"
    assert dataset.dict[1]["Hiệu lực từ"] == "01/01/2000"


def test_a_unit_code_twice_in_the_file_is_reported_and_nothing_is_written(org):
    rows = [
        ["X02", "Xã Tây", "commune", "T01", "01/07/2025", None],
        ["X02", "Xã Tây Mới", "commune", "T01", "01/07/2025", None],
    ]
    before = counts()

    result, problems = run(UnitResource, csv_file(UNIT_HEADERS, rows), "units.csv")

    assert problems == [
        RowProblem(
            3,
            "Mã đơn vị",
            "Unit code “X02” appears more than once in the file (first on row 2).",
        )
    ]
    assert counts() == before


# Staff --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", FORMATS)
def test_a_good_staff_file_creates_people_with_their_posts(org, kind):
    rows = [
        staff_row("CB002", "Trần Thị Bình", "công chức"),
        staff_row("CB003", "Lê Văn Cường", "VC"),
        ["CB004", "Phạm Thị Dung", "Hợp đồng", "T01", "chu-tich", "15/02/2024", None],
    ]
    result, problems = run(StaffResource, *spreadsheet(kind, STAFF_HEADERS, rows))

    assert problems == []
    assert result.totals["new"] == 3
    binh = Staff.objects.get(code="CB002")
    assert binh.category == Staff.Category.CIVIL_SERVANT
    assert binh.start_date == datetime.date(2024, 3, 1)
    dung = Staff.objects.get(code="CB004")
    assert dung.category == Staff.Category.CONTRACT
    post = dung.assignments.get()
    assert (post.unit, post.position.code, post.start_date, post.end_date) == (
        org["province"],
        "chu-tich",
        datetime.date(2024, 2, 15),
        None,
    )


@pytest.mark.parametrize("kind", FORMATS)
def test_importing_the_same_staff_file_twice_changes_nothing(org, kind):
    rows = [
        ["CB001", "Nguyễn Văn An", "CC", "T01", "chu-tich", "01/01/2025", None],
        staff_row("CB002"),
    ]
    content, name = spreadsheet(kind, STAFF_HEADERS, rows)
    run(StaffResource, content, name)
    before, before_counts = snapshot(), counts()

    result, problems = run(StaffResource, content, name)

    assert problems == []
    assert result.totals["skip"] == 2
    assert result.totals["new"] == result.totals["update"] == 0
    assert counts() == before_counts
    assert snapshot() == before


def test_a_moved_person_has_the_old_post_ended_the_day_before_the_new_one(org):
    rows = [["CB001", "Nguyễn Văn An", "CC", "T01", "chu-tich", "01/01/2025", None]]

    result, problems = run(StaffResource, csv_file(STAFF_HEADERS, rows), "staff.csv")

    assert problems == [] and result.totals["update"] == 1
    old, new = org["person"].assignments.order_by("start_date")
    assert (old.unit, old.end_date) == (org["commune"], datetime.date(2024, 12, 31))
    assert (new.unit, new.position, new.start_date, new.end_date) == (
        org["province"],
        org["chair"],
        datetime.date(2025, 1, 1),
        None,
    )


def test_a_person_in_the_same_post_is_left_alone_whatever_the_start_date(org):
    rows = [["CB001", "Nguyễn Văn An", "CC", "X01", "chuyen-vien", "01/06/2024", None]]
    before = snapshot()

    result, problems = run(StaffResource, csv_file(STAFF_HEADERS, rows), "staff.csv")

    assert problems == []
    assert result.totals["skip"] == 1
    assert snapshot() == before


def test_an_end_date_ends_the_person_and_their_post(org):
    rows = [["CB001", "Nguyễn Văn An", "CC", "X01", "chuyen-vien", "01/01/2020", "30/06/2025"]]

    result, problems = run(StaffResource, csv_file(STAFF_HEADERS, rows), "staff.csv")

    assert problems == [] and result.totals["update"] == 1
    person = Staff.objects.get(code="CB001")
    assert person.end_date == datetime.date(2025, 6, 30)
    assert person.assignments.get().end_date == datetime.date(2025, 6, 30)


def test_a_new_post_cannot_start_before_the_current_one_began(org):
    rows = [["CB001", "Nguyễn Văn An", "CC", "T01", "chu-tich", "01/01/2019", None]]
    before = snapshot()

    result, problems = run(StaffResource, csv_file(STAFF_HEADERS, rows), "staff.csv")

    assert problems == [
        RowProblem(
            2,
            "Ngày bắt đầu",
            "The new post must start after the current post began on 01/01/2020.",
        )
    ]
    assert snapshot() == before


@pytest.mark.parametrize("kind", FORMATS)
def test_exported_staff_import_again_without_any_change(org, kind):
    leaver = factories.staff("Đỗ Văn Em", org["commune"], org["chair"], code="CB009")
    Assignment.objects.filter(staff=leaver).update(end_date=datetime.date(2024, 5, 31))
    Staff.objects.filter(pk=leaver.pk).update(end_date=datetime.date(2024, 5, 31))
    content = export_file(StaffResource(), kind)
    before, before_counts = snapshot(), counts()

    result, problems = run(StaffResource, content, f"staff.{kind}")

    assert problems == []
    assert result.totals["skip"] == 2
    assert counts() == before_counts
    assert snapshot() == before


def test_the_staff_export_writes_the_current_post_without_a_query_per_person(org):
    for number in range(6):
        factories.staff(f"Người {number}", org["province"], org["chair"], code=f"N{number}")
    person = org["person"]
    Assignment.objects.filter(staff=person).update(end_date=datetime.date(2024, 12, 31))
    Assignment.objects.create(
        staff=person,
        unit=org["province"],
        position=org["chair"],
        start_date=datetime.date(2025, 1, 1),
    )

    with CaptureQueriesContext(connection) as queries:
        dataset = StaffResource().export()

    assert len(queries) == 1
    assert dataset.headers == STAFF_HEADERS
    an = dataset.dict[0]
    assert [an[h] for h in STAFF_HEADERS] == [
        "CB001",
        "Nguyễn Văn An",
        "CC",
        "T01",
        "chu-tich",
        "01/01/2025",
        "",
    ]


# Bad files: each is reported by row and reason, and nothing is written ----------------------


@pytest.mark.parametrize("kind", FORMATS)
def test_a_file_with_a_wrong_header_names_the_missing_columns_and_writes_nothing(org, kind):
    headers = ["Mã cán bộ", "Tên gọi", *STAFF_HEADERS[2:]]
    before = snapshot()

    result, problems = run(StaffResource, *spreadsheet(kind, headers, [staff_row()]))

    assert problems == [
        RowProblem(
            None,
            None,
            "The header row lacks these columns: “Họ và tên”. Name them in the file, "
            "or say which of the file's columns holds each.",
        )
    ]
    assert not is_clean(result)
    assert snapshot() == before


@pytest.mark.parametrize("kind", FORMATS)
def test_an_unknown_unit_code_is_reported_on_its_row_and_nothing_is_written(org, kind):
    rows = [staff_row("CB002"), staff_row("CB003", unit="X99")]
    before = counts()

    result, problems = run(StaffResource, *spreadsheet(kind, STAFF_HEADERS, rows))

    assert problems == [RowProblem(3, "Mã đơn vị", "No unit has the code or the name “X99”.")]
    assert counts() == before


@pytest.mark.parametrize("kind", FORMATS)
def test_a_staff_code_twice_in_the_file_is_reported_and_nothing_is_written(org, kind):
    rows = [staff_row("CB002"), staff_row("CB003"), staff_row("CB002", name="Trần Bình")]
    before = counts()

    result, problems = run(StaffResource, *spreadsheet(kind, STAFF_HEADERS, rows))

    assert problems == [
        RowProblem(
            4,
            "Mã cán bộ",
            "Staff code “CB002” appears more than once in the file (first on row 2).",
        )
    ]
    assert counts() == before


@pytest.mark.parametrize("kind", FORMATS)
def test_an_empty_required_cell_is_reported_and_nothing_is_written(org, kind):
    rows = [staff_row("CB002"), staff_row("CB003", name="")]
    before = counts()

    result, problems = run(StaffResource, *spreadsheet(kind, STAFF_HEADERS, rows))

    assert problems == [RowProblem(3, "Họ và tên", "“Họ và tên” must not be empty.")]
    assert counts() == before


@pytest.mark.parametrize("kind", FORMATS)
def test_a_date_in_the_wrong_format_is_reported_and_nothing_is_written(org, kind):
    rows = [staff_row("CB002", start="2024-03-01"), staff_row("CB003")]
    before = counts()

    result, problems = run(StaffResource, *spreadsheet(kind, STAFF_HEADERS, rows))

    assert problems == [
        RowProblem(
            2,
            "Ngày bắt đầu",
            "“2024-03-01” is not a date; write it as dd/mm/yyyy, e.g. 31/01/2025.",
        )
    ]
    assert counts() == before


def test_a_bad_row_in_a_confirmed_import_rolls_back_the_good_rows(org):
    rows = [staff_row("CB002"), staff_row("CB003", category="XX")]
    before = counts()

    result, problems = run(StaffResource, csv_file(STAFF_HEADERS, rows), "s.csv", dry_run=False)

    assert problems == [
        RowProblem(
            3,
            "Phân loại",
            "Unknown category “XX”; write Cán bộ, Công chức, Viên chức or Hợp đồng "
            "(or CB, CC, VC, HĐ).",
        )
    ]
    assert counts() == before


def test_every_problem_of_every_row_is_reported_at_once(org):
    rows = [staff_row("CB002", name="", unit="X99"), staff_row("CB003", start="32/01/2024")]

    result, problems = run(StaffResource, csv_file(STAFF_HEADERS, rows), "staff.csv")

    assert sorted((p.row, p.column) for p in problems) == [
        (2, "Họ và tên"),
        (2, "Mã đơn vị"),
        (3, "Ngày bắt đầu"),
    ]


# Reading files ---------------------------------------------------------------------------------


def test_unknown_extra_columns_and_header_case_are_ignored(org):
    headers = ["mã cán bộ", *STAFF_HEADERS[1:], "Ghi chú"]
    rows = [[*staff_row("CB002"), "không cần"]]

    result, problems = run(StaffResource, csv_file(headers, rows), "staff.csv")

    assert problems == []
    assert Staff.objects.filter(code="CB002").exists()


def test_blank_rows_are_skipped_and_later_rows_keep_their_spreadsheet_numbers(org):
    rows = [staff_row("CB002"), [None] * 7, staff_row("CB003", unit="X99"), [None] * 7]

    result, problems = run(StaffResource, xlsx_file(STAFF_HEADERS, rows), "staff.xlsx")

    assert problems == [RowProblem(4, "Mã đơn vị", "No unit has the code or the name “X99”.")]


def test_a_semicolon_separated_csv_file_is_read(org):
    content = csv_file(STAFF_HEADERS, [staff_row("CB002")], delimiter=";")

    result, problems = run(StaffResource, content, "staff.csv")

    assert problems == [] and result.totals["new"] == 1
