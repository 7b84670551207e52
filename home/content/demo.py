"""The demo site's news: a few realistic articles of the demo locality, each in
Vietnamese with its English translation, one with a chart image and a document.

Built through the same page operations editors use (create, publish, translate); safe to
run again: an article, image or document that exists is left as it is.
"""

from __future__ import annotations

import datetime
import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Locale

from .models import NewsIndexPage, NewsPage
from .site import ENGLISH, ensure_child, ensure_site, translate

CHART_TITLE = "Biểu đồ mức độ hài lòng tháng 10/2026"
SURVEY_TITLE = "Kết quả khảo sát sự hài lòng tháng 10/2026 (CSV)"
SURVEY_ROWS = [
    ("bo_phan", "luot_danh_gia", "hai_long", "binh_thuong", "khong_hai_long"),
    ("Trung tâm Phục vụ hành chính công huyện", "312", "281", "24", "7"),
    ("Bộ phận một cửa xã Quyết Tiến", "148", "131", "13", "4"),
]


def chart_image() -> Image:
    """A bar chart of the survey drawn with Pillow, kept once in the image library."""
    existing = Image.objects.filter(title=CHART_TITLE).first()
    if existing is not None:
        return existing
    canvas = PillowImage.new("RGB", (800, 400), "white")
    draw = ImageDraw.Draw(canvas)
    bars = [(90, "#0b5394"), (88, "#3d85c6"), (8, "#999999"), (3, "#cc0000")]
    for index, (share, colour) in enumerate(bars):
        left = 80 + index * 170
        draw.rectangle([left, 360 - share * 3, left + 110, 360], fill=colour)
    draw.line([60, 360, 760, 360], fill="black", width=2)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    file = ImageFile(buffer, name="bieu-do-hai-long-2026-10.png")
    return Image.objects.create(title=CHART_TITLE, file=file)


def survey_document() -> Document:
    """The survey's figures as a CSV document (UTF-8 with a BOM, so Excel reads it)."""
    existing = Document.objects.filter(title=SURVEY_TITLE).first()
    if existing is not None:
        return existing
    text = "\ufeff" + "\r\n".join(",".join(f'"{cell}"' for cell in row) for row in SURVEY_ROWS)
    content = text.encode()
    document = Document(title=SURVEY_TITLE, file_size=len(content))
    document.file.save("khao-sat-hai-long-2026-10.csv", ContentFile(content), save=False)
    document.save()
    return document


def _p(*texts: str) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in texts]


def articles(image: Image, document: Document) -> list[tuple[str, dict, dict]]:
    """(slug, Vietnamese fields, English fields) of each demo article, oldest first."""
    return [
        (
            "bao-cao-ket-qua-danh-gia-thang-9-2026",
            {
                "title": "Báo cáo kết quả đánh giá, xếp loại tháng 9/2026",
                "date": datetime.date(2026, 10, 20),
                "summary": (
                    "Ủy ban nhân dân huyện công bố kết quả đánh giá, xếp loại chất lượng cán "
                    "bộ, công chức, viên chức tháng 9/2026 của 26 cơ quan, đơn vị."
                ),
                "body": [
                    *_p(
                        "Trong tháng 9/2026, 26 cơ quan, đơn vị đã hoàn thành tổng hợp và gửi "
                        "kết quả đúng hạn. Tỷ lệ hoàn thành xuất sắc nhiệm vụ nằm trong giới "
                        "hạn quy định."
                    ),
                    {"type": "heading", "value": "Những điểm cần lưu ý"},
                    *_p(
                        "Một số đơn vị còn chậm đăng ký kế hoạch công tác đầu tháng; các đơn "
                        "vị cần hoàn thành trước ngày 5 hằng tháng."
                    ),
                ],
            },
            {
                "title": "Report on the evaluation results of September 2026",
                "summary": (
                    "The district People's Committee publishes the September 2026 evaluation "
                    "and classification of cadres, civil servants and public employees of 26 "
                    "agencies and units."
                ),
                "body": [
                    *_p(
                        "In September 2026, all 26 agencies and units consolidated and "
                        "submitted their results on time. The share rated excellent stays "
                        "within the prescribed limit."
                    ),
                    {"type": "heading", "value": "Points to watch"},
                    *_p(
                        "Some units registered their work plans late; every unit must do so "
                        "by the 5th of each month."
                    ),
                ],
            },
        ),
        (
            "khao-sat-su-hai-long-thang-10-2026",
            {
                "title": "Kết quả khảo sát sự hài lòng của người dân tháng 10/2026",
                "date": datetime.date(2026, 11, 10),
                "summary": (
                    "460 lượt đánh giá tại bộ phận một cửa: gần 9/10 người dân hài lòng với "
                    "thời gian giải quyết và thái độ phục vụ."
                ),
                "body": [
                    *_p(
                        "Trong tháng 10/2026, người dân đã gửi 460 lượt đánh giá bằng mã trên "
                        "phiếu hẹn và tại máy đánh giá đặt ở bộ phận một cửa."
                    ),
                    {
                        "type": "image",
                        "value": {
                            "image": image.pk,
                            "alt_text": (
                                "Biểu đồ cột: 90% hài lòng với thời gian giải quyết, 88% với "
                                "thái độ phục vụ, 8% bình thường, 3% không hài lòng."
                            ),
                            "caption": "Tỷ lệ hài lòng theo từng câu hỏi, tháng 10/2026.",
                        },
                    },
                    {
                        "type": "quote",
                        "value": {
                            "text": "Hồ sơ được hướng dẫn rõ ràng, trả đúng hẹn.",
                            "attribution": "Ý kiến của một người dân xã Quyết Tiến (đã biên tập)",
                        },
                    },
                    {"type": "document", "value": {"document": document.pk, "title": ""}},
                ],
            },
            {
                "title": "Citizens' satisfaction survey, October 2026",
                "summary": (
                    "460 ratings at the one-stop desks: nearly 9 in 10 citizens are satisfied "
                    "with the processing time and the officers' attitude."
                ),
                "body": [
                    *_p(
                        "In October 2026 citizens sent 460 ratings, with the code on their "
                        "receipt and at the desks' kiosks."
                    ),
                    {
                        "type": "image",
                        "value": {
                            "image": image.pk,
                            "alt_text": (
                                "Bar chart: 90% satisfied with the processing time, 88% with "
                                "the attitude, 8% neutral, 3% dissatisfied."
                            ),
                            "caption": "Share satisfied per question, October 2026.",
                        },
                    },
                    {
                        "type": "quote",
                        "value": {
                            "text": "The file was explained clearly and returned on time.",
                            "attribution": "A citizen of Quyết Tiến commune (edited)",
                        },
                    },
                    {
                        "type": "document",
                        "value": {"document": document.pk, "title": "Survey figures (CSV)"},
                    },
                ],
            },
        ),
        (
            "dinh-chinh-so-lieu-thang-9-2026",
            {
                "title": "Đính chính số liệu tháng 9/2026 của xã Quyết Tiến",
                "date": datetime.date(2026, 11, 18),
                "summary": (
                    "Số liệu tháng 9/2026 của xã Quyết Tiến đã được công bố lại sau khi sửa "
                    "một sai sót trong tổng hợp; số liệu cũ vẫn xem được trong lịch sử."
                ),
                "body": _p(
                    "Khi rà soát, cơ quan nội vụ phát hiện một phiếu đánh giá được tổng hợp "
                    "hai lần. Bản công bố mới có ghi chú đính chính; bản trước vẫn được giữ "
                    "để đối chiếu."
                ),
            },
            {
                "title": "Correction of the September 2026 figures of Quyết Tiến commune",
                "summary": (
                    "The September 2026 figures of Quyết Tiến commune were released again "
                    "after an error in the consolidation was fixed; the earlier figures stay "
                    "in the history."
                ),
                "body": _p(
                    "On review, the home-affairs office found a sheet counted twice. The new "
                    "release carries a correction note; the earlier one is kept for "
                    "comparison."
                ),
            },
        ),
        (
            "lich-cong-bo-ket-qua-quy-iv-2026",
            {
                "title": "Lịch công bố kết quả đánh giá quý IV/2026",
                "date": datetime.date(2026, 11, 25),
                "summary": (
                    "Kết quả từng tháng được công bố vào ngày 20 của tháng sau; kết quả quý "
                    "IV và cả năm 2026 công bố trong tháng 1/2027."
                ),
                "body": [
                    *_p("Lịch công bố dự kiến:"),
                    {
                        "type": "table",
                        "value": {
                            "first_row_is_table_header": True,
                            "first_col_is_header": False,
                            "data": [
                                ["Kỳ", "Ngày công bố"],
                                ["Tháng 10/2026", "20/11/2026"],
                                ["Tháng 11/2026", "20/12/2026"],
                                ["Tháng 12/2026, quý IV và năm 2026", "20/01/2027"],
                            ],
                        },
                    },
                ],
            },
            {
                "title": "Release calendar of the fourth quarter of 2026",
                "summary": (
                    "Each month's results are released on the 20th of the next month; the "
                    "fourth quarter and the year 2026 in January 2027."
                ),
                "body": [
                    *_p("Planned releases:"),
                    {
                        "type": "table",
                        "value": {
                            "first_row_is_table_header": True,
                            "first_col_is_header": False,
                            "data": [
                                ["Period", "Release date"],
                                ["October 2026", "20/11/2026"],
                                ["November 2026", "20/12/2026"],
                                ["December 2026, Q4 and the year 2026", "20/01/2027"],
                            ],
                        },
                    },
                ],
            },
        ),
        (
            "ra-mat-cong-cong-khai-ket-qua",
            {
                "title": "Ra mắt cổng công khai kết quả đánh giá hằng tháng",
                "date": datetime.date(2026, 12, 1),
                "summary": (
                    "Từ tháng 12/2026, kết quả đánh giá và mức độ hài lòng được công khai trên "
                    "cổng, kèm dữ liệu mở CSV và JSON."
                ),
                "body": _p(
                    "Người dân, báo chí và các cơ quan có thể xem kết quả của từng đơn vị, "
                    "tải dữ liệu mở và đánh giá dịch vụ đã nhận tại bộ phận một cửa."
                ),
            },
            {
                "title": "The public results portal opens",
                "summary": (
                    "From December 2026 the evaluation results and citizens' satisfaction are "
                    "published on the portal, with open data in CSV and JSON."
                ),
                "body": _p(
                    "Citizens, the press and agencies can read each unit's results, download "
                    "the open data and rate the service they received at a one-stop desk."
                ),
            },
        ),
    ]


def seed_demo_site() -> list[NewsPage]:
    """The site (:func:`ensure_site`) and the demo articles in both languages; returns
    the Vietnamese articles."""
    home = ensure_site()
    index = home.get_children().type(NewsIndexPage).filter(slug="tin-tuc").specific().get()
    english = Locale.objects.get(language_code=ENGLISH)
    made = []
    for slug, vietnamese, translation in articles(chart_image(), survey_document()):
        article = ensure_child(index, NewsPage, slug, vietnamese)
        translate(article, english, translation)
        made.append(article)
    return made
