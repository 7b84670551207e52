"""Staff lists as offices keep them, imported as they are: through the admin and the command.

The files are built by :mod:`tests.office_files` (a title block with merged cells, the
header on row 6 or lower, columns the product does not store, a total line and a
signature block); every person must land in the right unit and position, and a copy with
defects must be refused whole, naming the defective rows of the file.
"""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from scoring.access import roles
from scoring.lib.spreadsheets import read_table, run_import
from scoring.models import Assignment, ColumnChoice, Position, Staff, Unit
from scoring.organisation.positions import leads_unit
from scoring.organisation.resources import StaffResource
from tests import factories
from tests import office_files as office
from tests.jobs import submit

pytestmark = pytest.mark.django_db

IMPORT_STAFF = reverse("scoring_imports:import_staff")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def commune(tmp_path):
    """The commune's unit, brought in by the units import as a new user would."""
    content, name = office.units_file([office.COMMUNE])
    path = tmp_path / name
    path.write_bytes(content)
    call_command("import_units", str(path), stdout=io.StringIO())
    return Unit.objects.get(code=office.COMMUNE.code)


@pytest.fixture
def positions(tmp_path, commune):
    content, name = office.positions_file(office.COMMUNE_POSITIONS)
    path = tmp_path / name
    path.write_bytes(content)
    call_command("import_positions", str(path), stdout=io.StringIO())


@pytest.fixture
def home_affairs(client):
    client.force_login(factories.user("noi-vu", roles.HOME_AFFAIRS))
    return client


def posts() -> dict[str, tuple[str, str, str]]:
    """Each person's open post: code -> (name, unit code, position name)."""
    return {
        post.staff.code: (post.staff.full_name, post.unit.code, post.position.name)
        for post in Assignment.objects.select_related("staff", "unit", "position")
    }


def expected(people) -> dict[str, tuple[str, str, str]]:
    return {p.code: (p.full_name, p.unit_code, p.position) for p in people}


def command(*args) -> tuple[str, int]:
    out = io.StringIO()
    try:
        call_command(*args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error.returncode
    return out.getvalue(), 0


def staff_command(tmp_path, made, *options) -> tuple[str, int]:
    path = tmp_path / made.filename
    path.write_bytes(made.content)
    with translation.override("vi"):
        return command("import_staff", str(path), *options)


LAYOUTS = {
    "header-row-6": {},
    "header-row-9-column-c": {"header_row": 9, "first_column": 3},
    "second-sheet-variant-spelling": {"sheet_index": 1, "spelling": "variant"},
    "third-sheet-numbered-columns": {"sheet_index": 2, "column_numbers": True},
    "excel-dates": {"dates": "excel"},
    "csv": {"fmt": "csv"},
}


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_an_office_list_is_imported_as_it_is_with_everyone_in_place(tmp_path, positions, layout):
    people = office.commune_people(32)
    made = office.office_staff_list(people, **layout)

    output, code = staff_command(tmp_path, made)

    assert code == 0, output
    assert posts() == expected(people)
    assert f"dòng {made.header_row}" in output.lower()
    assert {p.code: p.category for p in people} == dict(
        Staff.objects.values_list("code", "category")
    )
    starts = dict(Assignment.objects.values_list("staff__code", "start_date"))
    assert starts == {p.code: p.start for p in people}


def test_the_reading_lists_the_columns_not_stored_and_the_lines_under_the_table(positions):
    made = office.office_staff_list(office.commune_people(32))
    resource = StaffResource()

    table = read_table(made.content, made.filename, resource.vocabulary())

    assert (table.layout.sheet, table.layout.header_row) == (made.sheet_name, 6)
    assert table.row_numbers == sorted(made.rows.values())
    ignored = {column.header for column in table.layout.ignored}
    assert ignored == {"STT", "Ngày sinh", "Giới tính", "Dân tộc", "Ghi chú"}
    assert table.layout.unknown == []
    assert made.total_row in table.layout.left_out
    assert set(made.signature_rows) <= set(table.layout.left_out)


def test_a_copy_with_six_defects_is_refused_whole_naming_the_five_rows(tmp_path, positions):
    people = office.commune_people(32)
    made = office.office_staff_list(people, defects=office.SIX_DEFECTS)
    before = (Staff.objects.count(), Assignment.objects.count(), Position.objects.count())

    output, code = staff_command(tmp_path, made)

    assert code == 1
    assert (Staff.objects.count(), Assignment.objects.count(), Position.objects.count()) == before
    resource = StaffResource()
    with translation.override("vi"):
        table = read_table(made.content, made.filename, resource.vocabulary())
        problems = resource.problems(run_import(resource, table, dry_run=True))
    assert {problem.row for problem in problems} == set(made.defect_rows.values())
    assert not set(made.spaced_rows) & {problem.row for problem in problems}
    duplicate = made.defect_rows["duplicate_code"]
    assert f"Dòng {duplicate}, cột “Mã cán bộ”" in output
    assert f"dòng {made.duplicate_first_row}" in output
    assert f"Dòng {made.defect_rows['impossible_date']}, cột “Ngày bắt đầu”" in output
    assert f"Dòng {made.defect_rows['unknown_category']}, cột “Phân loại”" in output
    assert f"Dòng {made.defect_rows['unknown_unit']}, cột “Mã đơn vị”" in output
    assert f"Dòng {made.defect_rows['empty_name']}, cột “Họ và tên”" in output


def test_spaces_and_decomposed_letters_are_tidied_not_refused(tmp_path, positions):
    people = office.commune_people(32)
    made = office.office_staff_list(people, defects=("spaces",))

    output, code = staff_command(tmp_path, made)

    assert code == 0, output
    stored = dict(Staff.objects.values_list("code", "full_name"))
    assert stored == {p.code: p.full_name for p in people}
    assert all(unicodedata.is_normalized("NFC", name) for name in stored.values())


def test_posts_written_by_name_create_the_positions_the_preview_proposes(tmp_path, commune):
    people = office.commune_people(32)
    made = office.office_staff_list(people)

    dry, code = staff_command(tmp_path, made, "--dry-run")

    assert code == 0, dry
    assert Position.objects.count() == 0
    names = {p.position for p in people}
    assert all(name in dry for name in names)
    output, code = staff_command(tmp_path, made)
    assert code == 0, output
    created = {position.name: position for position in Position.objects.all()}
    assert set(created) == names
    assert created["Chủ tịch UBND"].is_head and not created["Phó Chủ tịch UBND"].is_head
    assert list(created["Chủ tịch UBND"].unit_kinds.all()) == [commune.kind]
    assert posts() == expected(people)
    again, code = staff_command(tmp_path, made)
    assert code == 0 and Position.objects.count() == len(names)


@pytest.mark.parametrize(
    ("name", "heads"),
    [
        ("Chủ tịch UBND", True),
        ("Phó Chủ tịch UBND", False),
        ("Trưởng Công an xã", True),
        ("Giám đốc Trung tâm", True),
        ("Bí thư Đảng ủy", True),
        ("Chánh Văn phòng", True),
        ("Chỉ huy trưởng Quân sự", True),
        ("Công chức Tư pháp - Hộ tịch", False),
        ("Chuyên viên", False),
        ("CHỦ TỊCH", True),
    ],
)
def test_whether_a_new_post_leads_its_unit_is_read_from_its_first_words(name, heads):
    assert leads_unit(name) is heads


def test_a_post_is_matched_whatever_its_case_spaces_and_diacritics(commune):
    chair = factories.position("CT-UBND", is_head=True)
    chair.name = "Chủ tịch UBND"
    chair.save()
    other_kind = factories.position("CT-HOI")
    other_kind.name = "Chủ tịch  ubnd"
    other_kind.save()
    other_kind.unit_kinds.set([factories.kind("province")])
    content = office.plain_file(
        office.STAFF_HEADERS,
        [("CB1", "Giàng A Páo", "Cán bộ", commune.code, " chu  tich UBND ", "01/3/2019", "")],
        "csv",
    )
    resource = StaffResource()

    result = run_import(
        resource, read_table(content, "a.csv", resource.vocabulary()), dry_run=False
    )

    assert resource.problems(result) == []
    assert Assignment.objects.get().position == chair


# The admin page: preview, proposals, mapping by hand --------------------------------


def upload(made) -> SimpleUploadedFile:
    return SimpleUploadedFile(made.filename, made.content)


def test_the_admin_previews_an_office_list_and_confirms_it_with_new_positions(
    home_affairs, commune
):
    people = office.commune_people(32)
    made = office.office_staff_list(people)

    response = submit(home_affairs, IMPORT_STAFF, {"file": upload(made)})

    assert response.status_code == 200
    outcome = response.context["outcome"]
    assert outcome["clean"] and outcome["layout"]["header_row"] == 6
    proposals = {proposal["label"]: proposal for proposal in outcome["proposals"]}
    assert proposals["Chủ tịch UBND"]["choice"] is True
    assert proposals["Bí thư Đoàn Thanh niên"]["choice"] is True  # inferred, then changed
    page = response.content.decode()
    assert "Ngày sinh" in page and "Tổng cộng" not in page
    form = {"token": response.context["confirm_form"]["token"].value()}
    for proposal in outcome["proposals"]:
        if proposal["choice"] and proposal["label"] != "Bí thư Đoàn Thanh niên":
            form[f"proposal-{proposal['key']}"] = "on"

    confirmed = submit(home_affairs, IMPORT_STAFF, form)

    assert confirmed.status_code == 200 and confirmed.context["done"]
    assert posts() == expected(people)
    heads = set(Position.objects.filter(is_head=True).values_list("name", flat=True))
    assert "Chủ tịch UBND" in heads and "Bí thư Đoàn Thanh niên" not in heads


def test_a_column_mapped_by_hand_is_read_and_remembered_for_the_next_file(
    home_affairs, positions, monkeypatch
):
    spelling = {**office.SPELLINGS["standard"], "code": "Số hiệu CC"}
    monkeypatch.setitem(office.SPELLINGS, "own", spelling)
    people = office.commune_people(32)
    file = office.office_staff_list(people, spelling="own")

    first = submit(home_affairs, IMPORT_STAFF, {"file": upload(file)})

    assert "confirm_form" not in first.context
    assert any("Mã cán bộ" in problem.message for problem in first.context["problems"])
    mapping = first.context["mapping_form"]
    unknown = next(c for c in mapping.file_columns if c["how"] == "unknown")
    assert unknown["header"] == "Số hiệu CC"
    form = {"token": mapping["token"].value(), "remap": "1", "job": first.context["job"].pk}
    for _column, field in mapping.rows():
        form[field.html_name] = field.value() or ""
    form[f"col_{unknown['position']}"] = "Mã cán bộ"

    second = submit(home_affairs, IMPORT_STAFF, form)

    assert second.context["outcome"]["clean"], second.context["problems"]
    token = second.context["confirm_form"]["token"].value()
    assert submit(home_affairs, IMPORT_STAFF, {"token": token}).context["done"]
    assert posts() == expected(people)
    assert ColumnChoice.objects.get(table="staff").column == "Mã cán bộ"
    again = submit(home_affairs, IMPORT_STAFF, {"file": upload(file)})
    assert again.context["outcome"]["clean"]


def test_the_preview_reads_the_file_in_both_languages(home_affairs, positions):
    made = office.office_staff_list(office.commune_people(32), defects=office.SIX_DEFECTS)
    pages = {}
    for language in ("vi", "en"):
        home_affairs.cookies["django_language"] = language
        response = submit(home_affairs, IMPORT_STAFF, {"file": upload(made)})
        pages[language] = response.content.decode()
    row = made.defect_rows["impossible_date"]
    assert "Cách đọc tệp" in pages["vi"] and "How the file was read" in pages["en"]
    assert f"Dòng {row}, cột “Ngày bắt đầu”" in pages["vi"]
    assert f"Row {row}, column “Ngày bắt đầu”" in pages["en"]
