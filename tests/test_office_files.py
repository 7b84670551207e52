"""The office-layout fixtures say truthfully where each person, defect and line sits."""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata

import openpyxl
import pytest

from scoring.lib.names import tidy
from tests.office_files import (
    AGENCY,
    COLUMNS,
    COMMUNE,
    DEFECTS,
    IMPOSSIBLE_DATE,
    SIX_DEFECTS,
    SPELLINGS,
    UNKNOWN_CATEGORY,
    agency_people,
    commune_people,
    office_staff_list,
    plain_staff_file,
    positions_file,
    units_file,
)

PEOPLE = commune_people()


def sheet_of(made):
    book = openpyxl.load_workbook(io.BytesIO(made.content))
    return book[made.sheet_name]


def csv_lines(made) -> list[list[str]]:
    assert made.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(made.content.decode("utf-8-sig"))))


def cell(sheet, made, row: int, key: str):
    return sheet.cell(row=row, column=made.column(key)).value


def test_a_commune_has_its_staff_with_some_twenty_posts_named_as_offices_name_them():
    assert len(PEOPLE) == 32
    assert len({p.code for p in PEOPLE}) == 32
    assert len({p.position for p in PEOPLE}) >= 18
    names = {p.full_name for p in PEOPLE}
    assert {"Giàng A Páo", "Sùng Thị Mỷ", "Vàng Seo Lử", "Thào A Dế", "Lù Thị Chia"} <= names
    assert "H'Hen Niê" in names
    assert {"Chủ tịch UBND", "Công chức Tư pháp - Hộ tịch"} <= {p.position for p in PEOPLE}
    assert {p.category_text for p in PEOPLE} >= {"Cán bộ", "Công chức", "Viên chức", "HĐ"}
    assert {p.category for p in PEOPLE} == {"CB", "CC", "VC", "HD"}
    assert next(p for p in PEOPLE if p.position == "Chủ tịch Hội Phụ nữ").sex == "Nữ"


def test_the_rows_dict_points_at_each_persons_row_under_the_header_on_row_6():
    made = office_staff_list(PEOPLE)
    sheet = sheet_of(made)
    assert made.header_row == 6
    assert [c.value for c in sheet[6]][:3] == ["STT", "Họ và tên", "Ngày sinh"]
    for person in PEOPLE:
        row = made.rows[person.code]
        assert cell(sheet, made, row, "code") == person.code
        assert cell(sheet, made, row, "name") == person.full_name
        assert cell(sheet, made, row, "position") == person.position
    assert min(made.rows.values()) == 7 and max(made.rows.values()) == 38


def test_the_title_block_sits_in_merged_cells_above_the_header():
    made = office_staff_list(PEOPLE)
    sheet = sheet_of(made)
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:D1", "F1:K1", "F2:K2", "A4:K4", "A5:K5"} <= merged
    assert sheet["A1"].value == "UBND HUYỆN QUẢN BẠ"
    assert sheet["A2"].value == "UBND XÃ THANH VÂN"
    assert sheet["F1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert sheet["F2"].value == "Độc lập - Tự do - Hạnh phúc"
    assert sheet["A4"].value == COMMUNE.title
    assert sheet["A5"].value.startswith("(Kèm theo")


def test_the_total_line_and_the_signature_block_follow_the_table():
    made = office_staff_list(PEOPLE)
    sheet = sheet_of(made)
    assert made.total_row == 39
    assert sheet.cell(39, 1).value == "Tổng cộng: 32 người"
    assert "A39:B39" in {str(r) for r in sheet.merged_cells.ranges}
    first, signers, _words, names = made.signature_rows
    assert first == 41
    assert "ngày 15 tháng 01 năm 2026" in sheet.cell(first, 7).value
    assert [sheet.cell(signers, 1).value, sheet.cell(signers, 7).value] == [
        "NGƯỜI LẬP BIỂU",
        "CHỦ TỊCH",
    ]
    chair = next(p for p in PEOPLE if p.position == "Chủ tịch UBND")
    assert sheet.cell(names, 7).value == chair.full_name


def test_a_table_from_column_c_with_a_lower_header_on_a_later_sheet():
    made = office_staff_list(PEOPLE, first_column=3, header_row=9, sheet_index=2)
    book = openpyxl.load_workbook(io.BytesIO(made.content))
    assert book.sheetnames[:3] == ["Hướng dẫn", "Danh mục chức vụ", "Danh sách"]
    sheet = book["Danh sách"]
    assert sheet.cell(9, 3).value == "STT" and sheet.cell(9, 1).value is None
    assert sheet["C1"].value == "UBND HUYỆN QUẢN BẠ"
    assert made.column("code") == 10
    assert sheet.cell(made.rows[PEOPLE[0].code], 10).value == PEOPLE[0].code
    assert made.rows[PEOPLE[0].code] == 10


def test_the_variant_spelling_and_the_column_numbers_row():
    made = office_staff_list(PEOPLE, spelling="variant", column_numbers=True)
    sheet = sheet_of(made)
    headers = [c.value for c in sheet[6]]
    assert {"Chức danh", "Phân loại", "Ngày nhận công tác"} <= set(headers)
    assert headers == [SPELLINGS["variant"][key] for key in COLUMNS]
    assert sheet.cell(7, 1).value == "(1)"
    assert made.rows[PEOPLE[0].code] == 8


def test_mixed_dates_are_date_cells_and_text_in_several_forms():
    made = office_staff_list(PEOPLE, dates="mixed")
    sheet = sheet_of(made)
    starts = [cell(sheet, made, made.rows[p.code], "start") for p in PEOPLE]
    assert any(isinstance(value, datetime.datetime) for value in starts)
    texts = [value for value in starts if isinstance(value, str)]
    assert any(len(value.split("/")[1]) == 1 for value in texts)  # "01/3/2019"
    for person, value in zip(PEOPLE, starts, strict=True):
        if isinstance(value, datetime.datetime):
            assert value.date() == person.start
        else:
            day, month, year = map(int, value.split("/"))
            assert datetime.date(year, month, day) == person.start


def test_the_six_defects_sit_on_distinct_rows_that_the_file_really_spoils():
    made = office_staff_list(PEOPLE, defects=SIX_DEFECTS)
    sheet = sheet_of(made)
    rows = made.defect_rows
    assert set(rows) == set(DEFECTS)
    assert len({*rows.values(), made.duplicate_first_row}) == 6
    assert not set(made.spaced_rows) & {*rows.values(), made.duplicate_first_row}
    repeated = cell(sheet, made, made.duplicate_first_row, "code")
    assert cell(sheet, made, rows["duplicate_code"], "code") == repeated
    assert made.duplicate_first_row < rows["duplicate_code"]
    assert cell(sheet, made, rows["unknown_unit"], "unit") != COMMUNE.code
    assert cell(sheet, made, rows["impossible_date"], "start") == IMPOSSIBLE_DATE
    assert cell(sheet, made, rows["unknown_category"], "category") == UNKNOWN_CATEGORY
    assert cell(sheet, made, rows["empty_name"], "name") is None
    assert cell(sheet, made, rows["empty_name"], "code")  # the row is not blank


def test_the_spaces_to_tidy_are_only_spaces_and_decomposed_letters():
    made = office_staff_list(PEOPLE, defects=["spaces"])
    sheet = sheet_of(made)
    assert made.defect_rows == {}
    by_row = {row: code for code, row in made.rows.items()}
    written = []
    for row in made.spaced_rows:
        person = next(p for p in PEOPLE if p.code == by_row[row])
        name = cell(sheet, made, row, "name")
        written.append(name)
        assert name != person.full_name and tidy(name) == person.full_name
        assert tidy(cell(sheet, made, row, "position")) == person.position
        assert tidy(cell(sheet, made, row, "code")) == person.code
    assert any("\u00a0" in name for name in written)
    assert any("  " in name for name in written)
    assert any(unicodedata.is_normalized("NFC", name) is False for name in written)


def test_the_csv_copy_has_the_same_rows_as_text_with_a_bom():
    xlsx = office_staff_list(PEOPLE, defects=SIX_DEFECTS)
    made = office_staff_list(PEOPLE, fmt="csv", defects=SIX_DEFECTS)
    lines = csv_lines(made)
    assert made.filename.endswith(".csv") and made.sheet_name is None
    assert (made.rows, made.defect_rows, made.total_row) == (
        xlsx.rows,
        xlsx.defect_rows,
        xlsx.total_row,
    )
    assert lines[0][0] == "UBND HUYỆN QUẢN BẠ" and lines[5][0] == "STT"
    for person in PEOPLE:
        line = lines[made.rows[person.code] - 1]
        if made.rows[person.code] not in made.defect_rows.values():
            assert tidy(line[made.column("code") - 1]) == person.code
    assert lines[made.total_row - 1][0] == "Tổng cộng: 32 người"
    assert lines[made.signature_rows[1] - 1][0] == "NGƯỜI LẬP BIỂU"


def test_an_agency_list_has_its_head_deputies_and_specialists():
    people = agency_people()
    assert [p.position for p in people[:3]] == ["Trưởng phòng", *["Phó Trưởng phòng"] * 2]
    assert sum(p.position == "Trưởng phòng" for p in people) == 1
    assert "Chuyên viên" in {p.position for p in people}
    made = office_staff_list(people, office=AGENCY)
    sheet = sheet_of(made)
    assert sheet["A2"].value == "PHÒNG NỘI VỤ"
    assert sheet.cell(made.signature_rows[1], 7).value == "TRƯỞNG PHÒNG"


def test_too_short_a_list_for_the_defects_is_refused():
    with pytest.raises(ValueError):
        office_staff_list(PEOPLE[:10], defects=SIX_DEFECTS)
    with pytest.raises(ValueError):
        office_staff_list(PEOPLE, defects=["typo"])
    with pytest.raises(ValueError):
        office_staff_list(PEOPLE, header_row=4)


@pytest.mark.django_db
def test_the_plain_files_build_the_commune_and_import_its_people_today(locality):
    from django.utils import translation

    from scoring.lib.spreadsheets import is_clean, read_dataset, run_import
    from scoring.models import Staff
    from scoring.organisation.resources import PositionResource, StaffResource, UnitResource

    def run(resource, content_and_name):
        with translation.override("en"):
            result = run_import(resource(), read_dataset(*content_and_name), dry_run=False)
        assert is_clean(result), resource().problems(result)

    run(UnitResource, units_file([COMMUNE], parent_code=locality["district"].code))
    run(PositionResource, positions_file())
    run(StaffResource, plain_staff_file(PEOPLE, fmt="csv"))
    chair = Staff.objects.get(code=next(p.code for p in PEOPLE if p.position_code == "CT-UBND"))
    assert chair.full_name == "Thào A Dế"
    assert chair.assignments.get().unit.code == COMMUNE.code
