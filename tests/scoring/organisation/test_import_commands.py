"""The imports from the command line: the same preview and problems, exit 0 or 1."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from scoring.models import Position, Staff

pytestmark = pytest.mark.django_db


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    return str(path)


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


POSITIONS = (
    "Mã chức vụ,Tên chức vụ,Người đứng đầu,Thứ tự\n"
    "chu-tich-ubnd,Chủ tịch UBND,Có,1\n"
    "tu-phap,Công chức Tư pháp - Hộ tịch,Không,\n"
)


def test_a_dry_run_prints_the_preview_and_writes_nothing(tmp_path):
    output = run("import_positions", write(tmp_path, "chuc-vu.csv", POSITIONS), "--dry-run")
    assert "2" in output and "ghi" in output.lower()
    assert not Position.objects.filter(code__in=["chu-tich-ubnd", "tu-phap"]).exists()


def test_a_valid_file_is_imported_with_heads_and_ranks(tmp_path):
    run("import_positions", write(tmp_path, "chuc-vu.csv", POSITIONS))
    chair, clerk = Position.objects.get(code="chu-tich-ubnd"), Position.objects.get(code="tu-phap")
    assert (chair.is_head, chair.rank) == (True, 1)
    assert (clerk.name, clerk.is_head, clerk.rank) == ("Công chức Tư pháp - Hộ tịch", False, 100)
    again = run("import_positions", write(tmp_path, "chuc-vu.csv", POSITIONS))
    assert "0" in again and Position.objects.filter(code="tu-phap").count() == 1


def test_a_refused_file_names_its_rows_and_exits_1(tmp_path):
    bad = "Mã chức vụ,Tên chức vụ,Người đứng đầu\n,Trống,Có\nx,Y,Chắc\n"
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_positions", write(tmp_path, "bad.csv", bad), stdout=out)
    assert refused.value.returncode == 1
    assert "Dòng 2, cột “Mã chức vụ”" in out.getvalue()
    assert "Dòng 3, cột “Người đứng đầu”" in out.getvalue()
    assert not Position.objects.filter(code="x").exists()


def test_the_staff_command_imports_the_people_of_a_file(tmp_path, locality):
    commune = locality["commune"].code
    staff = (
        "Mã cán bộ,Họ và tên,Phân loại,Mã đơn vị,Mã chức vụ,Ngày bắt đầu\n"
        f"QT-100,  Giàng  Thị   Dua ,Công chức,{commune},cong-chuc-xa,01/3/2019\n"
    )
    run("import_staff", write(tmp_path, "can-bo.csv", staff))
    person = Staff.objects.get(code="QT-100")
    assert person.full_name == "Giàng Thị Dua"
    assert person.assignments.get().unit == locality["commune"]


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_units", str(tmp_path / "none.xlsx"))


def test_positions_name_the_kinds_of_unit_they_exist_in(tmp_path):
    kinds = "Mã chức vụ,Tên chức vụ,Loại đơn vị\ntruong-phong,Trưởng phòng,agency\n"
    run("import_positions", write(tmp_path, "chuc-vu.csv", kinds))
    position = Position.objects.get(code="truong-phong")
    assert [kind.code for kind in position.unit_kinds.all()] == ["agency"]
    unknown = "Mã chức vụ,Tên chức vụ,Loại đơn vị\nx,Y,nowhere\n"
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_positions", write(tmp_path, "bad.csv", unknown), stdout=out)
    assert "nowhere" in out.getvalue() and not Position.objects.filter(code="x").exists()
