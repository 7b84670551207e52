"""Reports laid out as administrative documents: the workbook, the plain CSV, the PDF.

The print view and the download links are tested in test_document_views.py.
"""

import csv
import datetime
import io
import shutil
import subprocess
import time
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from scoring.lib.documents import (
    Column,
    Document,
    Signatures,
    Signer,
    Table,
    place_date,
    write_csv,
    write_xlsx,
)
from tests.scoring.lib.document_example import example_document, example_table


def reopen(document: Document):
    return openpyxl.load_workbook(io.BytesIO(write_xlsx(document))).active


def texts(sheet) -> list[str]:
    return [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]


def merged_at(sheet, coordinate: str) -> str:
    """The merged range that starts at ``coordinate``."""
    return next(
        str(cells) for cells in sheet.merged_cells.ranges if cells.coord.startswith(coordinate)
    )


def test_the_place_and_date_line_is_written_as_decree_30_sets_it_out():
    assert place_date("Tuyên Quang", datetime.date(2026, 12, 5)) == (
        "Tuyên Quang, ngày 05 tháng 12 năm 2026"
    )
    assert (
        place_date("Hà Giang", datetime.date(2026, 2, 14)) == "Hà Giang, ngày 14 tháng 02 năm 2026"
    )
    assert place_date("", datetime.date(2026, 3, 1)) == "ngày 01 tháng 3 năm 2026"


def test_the_header_blocks_span_the_table_and_keep_their_diacritics():
    sheet = reopen(example_document())
    assert sheet["A1"].value == "UBND TỈNH TUYÊN QUANG"
    assert sheet["A2"].value == "SỞ NỘI VỤ"
    assert sheet["A2"].font.b and sheet["A2"].font.u == "single" and not sheet["A1"].font.b
    assert sheet["A3"].value == "Số: 125/BC-SNV"
    assert sheet["C1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and sheet["C1"].font.b
    assert sheet["C2"].value == "Độc lập - Tự do - Hạnh phúc" and sheet["C2"].font.u == "single"
    assert sheet["C3"].value == "Tuyên Quang, ngày 05 tháng 12 năm 2026" and sheet["C3"].font.i
    assert merged_at(sheet, "A1") == "A1:B1" and merged_at(sheet, "C1") == "C1:H1"
    assert sheet["A5"].value == "BÁO CÁO KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CÁN BỘ, CÔNG CHỨC"
    assert merged_at(sheet, "A5") == "A5:H5" and sheet["A5"].font.sz == 14
    assert sheet["A6"].value == "Tháng 11 năm 2026"
    assert {cell.font.name for row in sheet["A1:H6"] for cell in row if cell.value} == {
        "Times New Roman"
    }


def test_the_table_has_two_header_rows_with_a_merged_group_repeated_on_every_page():
    sheet = reopen(example_document())
    assert [sheet.cell(8, column).value for column in range(1, 9)] == [
        "STT",
        "Cơ quan, đơn vị",
        "Số người được đánh giá",
        "Kết quả xếp loại",
        None,
        None,
        "Điểm bình quân",
        "Ngày chốt",
    ]
    assert sheet["D9"].value == "Hoàn thành xuất sắc nhiệm vụ"
    assert merged_at(sheet, "D8") == "D8:F8" and merged_at(sheet, "A8") == "A8:A9"
    assert sheet["D8"].alignment.wrap_text and sheet["E9"].border.bottom.style == "thin"
    assert sheet.print_title_rows == "$8:$9"


def test_numbers_are_numbers_with_a_format_and_dates_are_dates():
    sheet = reopen(example_document())
    first = [cell for cell in sheet[10]]
    assert first[0].value == 1 and first[0].data_type == "n"
    assert first[6].value == pytest.approx(86.25) and first[6].number_format == "0.00"
    assert first[7].value == datetime.datetime(2026, 12, 3)
    assert first[7].is_date and first[7].number_format == "dd/mm/yyyy"


def test_text_that_looks_like_a_formula_stays_text():
    sheet = reopen(example_document())
    assert sheet["B15"].value == "=Trung tâm Lưu trữ lịch sử" and sheet["B15"].data_type == "s"


def test_the_total_row_spans_its_label_and_is_bold():
    sheet = reopen(example_document())
    assert sheet["A16"].value == "Tổng cộng" and merged_at(sheet, "A16") == "A16:B16"
    assert sheet["C16"].value == 52 and sheet["C16"].font.b
    assert sheet["G16"].value == pytest.approx(85.48)


def test_the_names_of_signers_side_by_side_stand_level():
    sheet = reopen(example_document())
    written = texts(sheet)
    second = next(text for text in written if text.startswith("NGƯỜI LẬP BIỂU"))
    signer = next(text for text in written if text.startswith("KT. GIÁM ĐỐC"))
    # Each name is its block's last line, after as many lines in both blocks.
    assert second.endswith("\nTrần Văn Đức") and signer.endswith("\nNguyễn Thị Hà")
    assert second.count("\n") == signer.count("\n")


def test_the_notes_and_the_signatures_follow_the_table():
    sheet = reopen(example_document())
    written = texts(sheet)
    assert any(text.startswith("Ghi chú: điểm bình quân") for text in written)
    signer = next(text for text in written if text.startswith("KT. GIÁM ĐỐC"))
    assert signer.split("\n")[:3] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "(Ký, ghi rõ họ tên)"]
    assert signer.endswith("Nguyễn Thị Hà")
    assert any(text.startswith("NGƯỜI LẬP BIỂU") and "Trần Văn Đức" in text for text in written)
    recipients = next(text for text in written if text.startswith("Nơi nhận:"))
    assert recipients.split("\n") == [
        "Nơi nhận:",
        "- UBND tỉnh (b/c);",
        "- Giám đốc Sở;",
        "- Lưu: VT, TCBC.",
    ]


def test_the_date_can_stand_above_the_signature():
    document = Document(
        title="Báo cáo",
        issuer=["PHÒNG NỘI VỤ"],
        tables=[Table([Column("Họ và tên"), Column("Điểm", decimals=2)], [("Lê Văn A", 90)])],
        place="Tam Sơn",
        day=datetime.date(2026, 1, 31),
        dated_above_signature=True,
        signatures=Signatures(Signer(["Trưởng phòng"])),
    )
    sheet = reopen(document)
    assert sheet["A1"].value == "PHÒNG NỘI VỤ" and sheet["A1"].font.b
    assert "Tam Sơn, ngày 31 tháng 01 năm 2026" not in [sheet["B3"].value]
    signer = next(text for text in texts(sheet) if "TRƯỞNG PHÒNG" in text)
    assert signer.startswith("Tam Sơn, ngày 31 tháng 01 năm 2026\nTRƯỞNG PHÒNG")


def test_the_page_is_a4_fitted_to_the_width_with_page_numbers():
    sheet = reopen(example_document())
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.page_setup.orientation == "landscape"  # eight columns are too wide
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.page_margins.left == pytest.approx(30 / 25.4)
    assert "&P" in sheet.oddFooter.center.text


def test_a_narrow_table_prints_portrait_and_its_columns_fit_their_text():
    table = Table([Column("STT"), Column("Họ và tên")], [(1, "Nguyễn Thị Thanh Hương")])
    sheet = reopen(Document(title="Danh sách", issuer=["UBND XÃ A"], tables=[table]))
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.column_dimensions["B"].width >= len("Nguyễn Thị Thanh Hương") * 0.8
    widths = [sheet.column_dimensions[letter].width for letter in "AB"]
    assert sum(widths) == pytest.approx(90, abs=0.2)  # widened to fill the page's width


def test_the_same_document_gives_the_same_bytes_whatever_the_time():
    document = example_document()
    first = write_xlsx(document)
    time.sleep(1.0 - time.time() % 1 + 0.05)  # the zip entries' times count in seconds
    assert write_xlsx(document) == first
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert {item.date_time for item in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
    core = archive.read("docProps/core.xml").decode()
    assert "2026-12-05T00:00:00Z" in core and "Sở Nội vụ tỉnh Tuyên Quang" in core


def test_the_csv_is_the_table_alone_in_utf8_with_a_bom_and_neutralised():
    content = write_csv(example_document())
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:4] == [
        "STT",
        "Cơ quan, đơn vị",
        "Số người được đánh giá",
        "Kết quả xếp loại - Hoàn thành xuất sắc nhiệm vụ",
    ]
    assert rows[1] == ["1", "Văn phòng Sở", "12", "10", "2", "0", "86.25", "03/12/2026"]
    assert rows[6][1] == "'=Trung tâm Lưu trữ lịch sử"
    assert len(rows) == 7  # no total row


def test_several_tables_follow_each_other_in_the_csv():
    second = Table([Column("Ghi chú")], [("@SUM(A1)",)])
    content = write_csv(Document(title="B", issuer=["X"], tables=[example_table(1), second]))
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[2:] == [[], ["Ghi chú"], ["'@SUM(A1)"]]
    assert rows[1][6] == "86.25" and Decimal(rows[1][6]) == Decimal("86.25")


SOFFICE = shutil.which("soffice")


@pytest.mark.skipif(SOFFICE is None, reason="needs LibreOffice (soffice)")
def test_libreoffice_converts_the_workbook_to_a_pdf(tmp_path):
    source = tmp_path / "bao-cao.xlsx"
    source.write_bytes(write_xlsx(example_document(rows=40)))
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless"]
        + ["--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = (tmp_path / "bao-cao.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type/Page") >= 1


def test_a_document_without_a_date_is_dated_with_a_fixed_time():
    table = Table([Column("Họ và tên")], [("Lê Văn A",)])
    content = write_xlsx(Document(title="Danh sách", issuer=["UBND XÃ A"], tables=[table]))
    core = zipfile.ZipFile(io.BytesIO(content)).read("docProps/core.xml").decode()
    assert core.count("2000-01-01T00:00:00Z") == 2 and "UBND XÃ A" in core
