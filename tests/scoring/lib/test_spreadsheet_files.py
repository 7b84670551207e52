"""Files that would hurt: a declared million rows, a sea of newlines, damaged workbooks."""

import io
import re
import tracemalloc
import zipfile

import openpyxl
import pytest

from scoring.lib import spreadsheets
from scoring.lib.spreadsheets import SpreadsheetError, read_dataset

HEADERS = ["Mã đơn vị", "Tên đơn vị"]


def workbook(*rows) -> bytes:
    book = openpyxl.Workbook()
    for row in (HEADERS, *rows):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite_sheet(content: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through ``change``."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            target.writestr(item, data)
    return out.getvalue()


def peak_mib(function) -> float:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def test_a_5_kb_workbook_declaring_a_million_rows_reads_in_bounded_memory():
    bomb = rewrite_sheet(
        workbook(["X01", "Xã Một"]),
        lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml),
    )
    assert len(bomb) < 6_000
    dataset = []
    assert peak_mib(lambda: dataset.append(read_dataset(bomb, "bomb.xlsx"))) < 10
    assert dataset[0].headers == HEADERS and len(dataset[0]) == 1


def test_a_19_mb_csv_of_newlines_is_an_empty_file_not_a_full_memory():
    flood = b"\n" * (19 * 2**20)
    refused = []

    def read():
        with pytest.raises(SpreadsheetError) as error:
            read_dataset(flood, "flood.csv")
        refused.append(str(error.value))

    assert peak_mib(read) < 100
    assert refused == ["Tệp không có dữ liệu."]


def test_more_rows_than_the_limit_are_refused_with_the_limit(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 5)
    rows = "\n".join(["Mã đơn vị,Tên đơn vị", *(f"U{n},Đơn vị {n}" for n in range(10))])
    with pytest.raises(SpreadsheetError, match="5"):
        read_dataset(rows.encode(), "many.csv")


def test_blank_rows_inside_the_table_keep_the_files_row_numbers():
    dataset = read_dataset(workbook(["A", "Một"], [None, None], ["B", "Hai"]), "gaps.xlsx")
    assert [row[0] for row in dataset] == ["A", None, "B"]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(
            lambda xml: xml.replace(b't="inlineStr"', b't="s"').replace(
                b"<is><t>", b"<v>999</v><is><t>"
            ),
            id="bad shared-string index",
        ),
        pytest.param(lambda xml: xml[: len(xml) // 2], id="truncated sheet XML"),
        pytest.param(
            lambda xml: re.sub(
                rb"<c r=\"A2\"[^>]*>.*?</c>", b'<c r="A2" t="n"><v>abc</v></c>', xml
            ),
            id="a number cell holding text",
        ),
    ],
)
def test_a_damaged_workbook_is_a_clear_error_not_a_crash(damage):
    damaged = rewrite_sheet(workbook(["X01", "Xã Một"], ["X02", "Xã Hai"]), damage)
    with pytest.raises(SpreadsheetError) as refused:
        read_dataset(damaged, "damaged.xlsx")
    assert str(refused.value)
