"""A unit's quarter and year results as the document its office signs: the XLSX, the CSV,
the print view, the command's file and who may download it."""

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from scoring.access import roles
from scoring.lib.documents import place_date, write_file
from scoring.models import Discipline
from scoring.organisation.signing import place_of
from scoring.rollup.documents import report_document, title_of
from tests import factories as f
from tests.scoring.rollup.helpers import months

pytestmark = pytest.mark.django_db

YEAR = 2026
REPORT = reverse("scoring_unit_results")


@pytest.fixture
def units():
    district = f.unit("Huyện Quản Bạ", "district")
    agency = f.unit("Phòng Nội vụ", "agency", district, code="PNV")
    other = f.unit("Phòng Tư pháp", "agency", district)
    specialist = f.position("chuyen-vien")
    specialist.name = "Chuyên viên"
    specialist.save()
    person = f.staff("Phạm Văn Chuyên", agency, specialist)
    months(person, YEAR, {1: "85", 2: "91", 3: "72", 4: None}, agency, position=specialist)
    best = f.staff("Lê Thị Giỏi", agency, specialist)
    months(best, YEAR, {m: "95" for m in range(1, 13)}, agency, position=specialist)
    months(f.staff("Người Khác", other, specialist), YEAR, {1: "80"}, other)
    return {"district": district, "agency": agency, "other": other, "person": person}


@pytest.fixture
def office(client):
    client.force_login(f.user("noivu", roles.HOME_AFFAIRS))
    return client


def download(client, unit, kind, **params):
    return client.get(REPORT, {"unit": unit.pk, "year": YEAR, "format": kind, **params})


def sheet_of(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).active


def texts(sheet) -> list[str]:
    return [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]


def row_of(sheet, name: str) -> list:
    return next([c.value for c in row] for row in sheet.iter_rows() if row[1].value == name)


def test_the_title_names_the_year_or_the_quarter_in_roman_numerals():
    assert title_of(2026, None) == "KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG NĂM 2026"
    assert title_of(2026, 3) == "KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG QUÝ III NĂM 2026"


def test_the_place_is_the_nearest_territorial_unit_without_its_kind_words(units):
    assert place_of(units["agency"], [units["district"]]) == "Quản Bạ"
    commune = f.unit("Thị trấn Tam Sơn", "commune", units["district"])
    assert place_of(commune, [units["district"]]) == "Tam Sơn"


def test_the_xlsx_is_the_signed_year_document_with_its_diacritics(office, units):
    response = download(office, units["agency"], "xlsx")
    assert response.status_code == 200
    assert 'filename="ket-qua-xep-loai-pnv-nam-2026.xlsx"' in response["Content-Disposition"]
    sheet = sheet_of(response.content)
    words = texts(sheet)
    assert sheet["A1"].value == "HUYỆN QUẢN BẠ" and sheet["A2"].value == "PHÒNG NỘI VỤ"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in words
    assert "KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG NĂM 2026" in words
    header = next([c.value for c in row] for row in sheet.iter_rows() if row[0].value == "STT")
    assert header[:4] == ["STT", "Họ và tên", "Chức vụ", "Tháng 1"]
    assert header[-3:] == ["Điểm bình quân", "Xếp loại", "Ghi chú"] and len(header) == 18
    person = row_of(sheet, "Phạm Văn Chuyên")
    assert person[2] == "Chuyên viên" and person[3:7] == [85, 91, 72, "vắng"]
    assert isinstance(person[15], (int, float)) and person[15] == pytest.approx(82.67)
    assert person[16] == "Hoàn thành tốt nhiệm vụ" and "tháng 4" in person[17]
    best = row_of(sheet, "Lê Thị Giỏi")
    assert best[0] == 1 and best[15] == 95 and best[16] == "Hoàn thành xuất sắc nhiệm vụ"
    assert "Người Khác" not in words
    dated = place_date("Quản Bạ", timezone.localdate())
    assert any(dated in text for text in words)
    assert any("THỦ TRƯỞNG ĐƠN VỊ" in text for text in words)
    assert any("NGƯỜI LẬP BIỂU" in text for text in words)
    assert any("Hoàn thành xuất sắc nhiệm vụ: 1 người" in text for text in words)
    assert any("Đề nghị khen thưởng" in text and "Lê Thị Giỏi (95,00)" in text for text in words)


def test_a_quarter_has_its_three_months_and_the_heads_signature(office, units):
    post = f.position("truong-phong", is_head=True)
    post.name = "Trưởng phòng"
    post.save()
    f.staff("Lê Thị Trưởng", units["agency"], post)
    sheet = sheet_of(download(office, units["agency"], "xlsx", quarter=1).content)
    words = texts(sheet)
    assert "KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG QUÝ I NĂM 2026" in words
    person = row_of(sheet, "Phạm Văn Chuyên")
    assert person[3:6] == [85, 91, 72] and person[6] == pytest.approx(82.67)
    assert any("TRƯỞNG PHÒNG" in text for text in words)
    assert any("Lê Thị Trưởng" in text for text in words)
    assert not any("THỦ TRƯỞNG ĐƠN VỊ" in text for text in words)


def test_an_override_reason_stands_in_the_note(office, units):
    Discipline.objects.create(
        staff=units["person"],
        kind=Discipline.Kind.REPRIMAND,
        decided_on="2026-05-04",
        decision_number="12/QĐ-UBND",
    )
    person = row_of(sheet_of(download(office, units["agency"], "xlsx").content), "Phạm Văn Chuyên")
    assert person[16] == "Không hoàn thành nhiệm vụ" and "12/QĐ-UBND" in person[17]


def test_the_csv_has_plain_numbers(office, units):
    response = download(office, units["agency"], "csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["STT", "Họ và tên", "Chức vụ"]
    person = next(row for row in rows if row[1] == "Phạm Văn Chuyên")
    assert person[3:7] == ["85.00", "91.00", "72.00", "vắng"] and person[15] == "82.67"


def test_the_print_view_is_in_vietnamese(office, units):
    response = download(office, units["agency"], "print")
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="vi">' in html
    assert "<h1>KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG NĂM 2026</h1>" in html
    assert '<td class="number">82,67</td>' in html and "Tải xuống XLSX" in html
    assert "THỦ TRƯỞNG ĐƠN VỊ" in html and "Phạm Văn Chuyên" in html


def test_the_page_offers_the_document_links(office, units):
    html = office.get(REPORT, {"unit": units["agency"].pk, "year": YEAR}).content.decode()
    assert "format=xlsx" in html and "format=csv" in html and "format=print" in html
    assert "Tải xuống CSV" in html


@pytest.mark.parametrize("kind,quarter", [("xlsx", None), ("csv", None), ("xlsx", 2)])
def test_the_command_writes_the_bytes_the_admin_downloads(office, units, tmp_path, kind, quarter):
    target = tmp_path / f"report.{kind}"
    extra = {"quarter": quarter} if quarter else {}
    call_command(
        "rollup_report", "PNV", str(YEAR), output=str(target), stdout=io.StringIO(), **extra
    )
    assert target.read_bytes() == download(office, units["agency"], kind, **extra).content


def test_another_units_head_cannot_download(client, units):
    account = f.user("truongphong", roles.UNIT_HEAD)
    f.staff(
        "Trưởng Tư Pháp", units["other"], f.position("truong-phong", is_head=True), user=account
    )
    client.force_login(account)
    assert download(client, units["agency"], "xlsx").status_code == 404
    assert download(client, units["agency"], "print").status_code == 404
    assert download(client, units["other"], "xlsx").status_code == 200
    client.force_login(f.user("canbo", roles.STAFF_MEMBER))
    response = download(client, units["agency"], "csv")
    assert response.status_code in (302, 403) and not response.content.startswith(b"\xef\xbb\xbf")


def test_the_downloads_queries_do_not_grow_with_people(
    office, units, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as few:
        download(office, units["agency"], "xlsx")
    specialist = f.position("chuyen-vien")
    for index in range(15):
        person = f.staff(f"Người Thứ {index}", units["agency"], specialist)
        months(person, YEAR, {1: "80", 2: "88"}, units["agency"], position=specialist)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = download(office, units["agency"], "xlsx")
    assert len(list(sheet_of(response.content).iter_rows())) > 17


def test_the_document_is_in_vietnamese_whatever_the_readers_language(units):
    Discipline.objects.create(
        staff=units["person"],
        kind=Discipline.Kind.REPRIMAND,
        decided_on="2026-05-04",
        decision_number="12/QĐ-UBND",
    )
    with translation.override("en"):
        english = write_file(report_document(units["agency"], YEAR), "xlsx")
    with translation.override("vi"):
        vietnamese = write_file(report_document(units["agency"], YEAR), "xlsx")
    assert english == vietnamese
    assert "Không hoàn thành nhiệm vụ" in texts(sheet_of(english))
