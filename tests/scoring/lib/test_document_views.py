"""A report's print view and downloads: the same document in Vietnamese and English pages,
the files the command line writes too."""

import csv
import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from django.views.generic import TemplateView

from scoring.lib.document_views import DocumentMixin, document_links, document_response
from scoring.lib.documents import Column, Document, Signatures, Signer, Table, write_xlsx
from scoring.management.documents import DocumentCommand
from tests.scoring.lib.document_example import example_document

PATH = "/reports/month/"


def ask(language: str = "vi", **query):
    request = RequestFactory().get(PATH, query)
    with translation.override(language):
        response = document_response(request, example_document(), back=PATH)
        if response is not None and hasattr(response, "render"):
            response.render()
    return response


def test_the_print_view_lays_the_document_out_in_vietnamese():
    response = ask(format="print")
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="vi">' in html
    for words in [
        '<p class="own">SỞ NỘI VỤ</p>',
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        '<p class="dated">Tuyên Quang, ngày 05 tháng 12 năm 2026</p>',
        "<h1>BÁO CÁO KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CÁN BỘ, CÔNG CHỨC</h1>",
        '<th scope="colgroup" colspan="3">Kết quả xếp loại</th>',
        '<th scope="col" rowspan="2">STT</th>',
        '<td class="number">82,67</td>',
        '<td class="date">03/12/2026</td>',
        '<th scope="row" colspan="2">Tổng cộng</th>',
        '<p class="title">KT. GIÁM ĐỐC</p>',
        '<p class="name">Nguyễn Thị Hà</p>',
        "- Lưu: VT, TCBC.",
        "Tải xuống XLSX",
        "Quay lại",
        "hãy dùng lệnh In của trình duyệt",
    ]:
        assert words in html
    assert "<script" not in html and "http" not in html.replace("http://testserver", "")


def test_the_print_view_in_english_translates_the_interface_not_the_document():
    html = ask("en", format="print").content.decode()
    assert '<html lang="en">' in html and '<article class="document" lang="vi">' in html
    assert '<td class="number">82.67</td>' in html and "Download XLSX" in html
    assert "Tháng 11 năm 2026" in html and "Tải xuống" not in html


def test_the_date_may_stand_above_the_signature_and_moments_show_the_office_clock():
    moment = datetime.datetime(2026, 12, 4, 17, 30, tzinfo=datetime.UTC)
    table = Table([Column("Họ và tên"), Column("Nộp lúc")], [("Lê Văn A", moment)])
    document = Document(
        title="Danh sách",
        issuer=["UBND XÃ TAM SƠN"],
        tables=[table],
        place="Tam Sơn",
        day=datetime.date(2026, 12, 5),
        dated_above_signature=True,
        signatures=Signatures(Signer(["Chủ tịch"])),
    )
    request = RequestFactory().get(PATH, {"format": "print"})
    html = document_response(request, document).render().content.decode()
    signer = html[html.index('<div class="signer">') :]
    assert signer.index("Tam Sơn, ngày 05 tháng 12 năm 2026") < signer.index("CHỦ TỊCH")
    assert html.count("ngày 05 tháng 12") == 1
    assert '<td class="date">05/12/2026 00:30</td>' in html  # Asia/Ho_Chi_Minh
    sheet = openpyxl.load_workbook(io.BytesIO(write_xlsx(document))).active
    assert (
        sheet["B7"].value == datetime.datetime(2026, 12, 5, 0, 30)
        and sheet["A7"].value == "Lê Văn A"
    )


def test_the_print_view_prints_a4_with_the_header_on_every_page():
    html = ask(format="print").content.decode()
    assert "@page { size: A4 landscape; }" in html
    assert '<link rel="stylesheet" href="/static/css/document.css">' in html
    css = (Path(settings.BASE_DIR) / "static/css/document.css").read_text(encoding="utf-8")
    assert "thead { display: table-header-group; }" in css and "counter(page)" in css
    assert "url(" not in css and "@import" not in css


def test_the_downloads_are_the_files_the_writer_gives():
    xlsx, plain = ask(format="xlsx"), ask(format="csv")
    assert xlsx.content == write_xlsx(example_document())
    assert xlsx["Content-Disposition"] == 'attachment; filename="bao-cao-thang-11-2026.xlsx"'
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert plain.content.startswith(b"\xef\xbb\xbfSTT,")
    assert plain["Content-Type"] == "text/csv; charset=utf-8"


def test_a_page_without_a_format_shows_itself_and_an_unknown_format_is_refused():
    assert ask() is None
    refused = ask(format="pdf")
    assert refused.status_code == 400 and "print, xlsx hoặc csv" in refused.content.decode()


def test_a_page_offers_print_and_the_downloads_with_its_other_parameters_kept():
    request = RequestFactory().get(PATH, {"unit": "12", "format": "print"})
    with translation.override("vi"):
        links = document_links(request)
    assert [(link["label"], link["url"]) for link in links] == [
        ("In", f"{PATH}?unit=12&format=print"),
        ("Tải xuống XLSX", f"{PATH}?unit=12&format=xlsx"),
        ("Tải xuống CSV", f"{PATH}?unit=12&format=csv"),
    ]
    html = Template('{% include "includes/document_links.html" %}').render(
        Context({"document_links": links})
    )
    assert 'target="_blank"' in html and "download>Tải xuống CSV</a>" in html


class MonthReport(DocumentMixin, TemplateView):
    template_name = "includes/document_links.html"

    def get_document(self):
        return example_document()


def test_the_mixin_answers_the_formats_and_gives_its_page_the_links():
    view = MonthReport.as_view()
    page = view(RequestFactory().get(PATH))
    page.render()
    assert "?format=xlsx" in page.content.decode()
    download = view(RequestFactory().get(PATH, {"format": "xlsx"}))
    assert download.content == write_xlsx(example_document())


class ExampleCommand(DocumentCommand):
    summary = "The example report."

    def document(self, **options):
        return example_document()


def test_the_command_writes_the_bytes_the_admin_serves(tmp_path):
    target = tmp_path / "bao-cao.xlsx"
    out = io.StringIO()
    call_command(ExampleCommand(), output=str(target), stdout=out)
    assert target.read_bytes() == ask(format="xlsx").content
    assert f"Đã ghi {target}." in out.getvalue()
    openpyxl.load_workbook(target)


def test_the_command_writes_csv_by_name_or_by_choice(tmp_path):
    by_name, by_choice = tmp_path / "a.csv", tmp_path / "b.txt"
    call_command(ExampleCommand(), output=str(by_name), stdout=io.StringIO())
    call_command(ExampleCommand(), output=str(by_choice), format="csv", stdout=io.StringIO())
    assert by_name.read_bytes() == by_choice.read_bytes() == ask(format="csv").content
    rows = list(csv.reader(io.StringIO(by_name.read_text(encoding="utf-8-sig"))))
    assert rows[1][6] == "86.25"


def test_the_command_refuses_a_file_it_cannot_name_or_write(tmp_path):
    with pytest.raises(CommandError, match="--format"):
        call_command(ExampleCommand(), output=str(tmp_path / "a.pdf"))
    with pytest.raises(CommandError, match="Không ghi được"):
        call_command(ExampleCommand(), output=str(tmp_path / "missing" / "a.xlsx"))
