"""An example document laid out as a province's home-affairs office signs it: the month
results of its units, grouped headers, a total row, notes, recipients and two signers."""

import datetime
from decimal import Decimal

from scoring.lib.documents import (
    Column,
    ColumnGroup,
    Document,
    Signatures,
    Signer,
    Table,
    month_line,
)

UNITS = [
    ("Văn phòng Sở", 12, 10, 2, 0, Decimal("86.25")),
    ("Phòng Tổ chức, biên chế và tổ chức phi chính phủ", 9, 6, 2, 1, Decimal("82.67")),
    ("Phòng Xây dựng chính quyền và công tác thanh niên", 8, 7, 1, 0, Decimal("90.50")),
    ("Thanh tra Sở", 6, 4, 1, 1, Decimal("78.00")),
    ("Ban Thi đua - Khen thưởng", 10, 9, 1, 0, Decimal("91.33")),
    ("=Trung tâm Lưu trữ lịch sử", 7, 5, 2, 0, Decimal("84.14")),
]


def example_table(rows: int = len(UNITS)) -> Table:
    units = [UNITS[index % len(UNITS)] for index in range(rows)]
    return Table(
        headers=[
            Column("STT", decimals=0),
            Column("Cơ quan, đơn vị"),
            Column("Số người được đánh giá", decimals=0),
            ColumnGroup(
                "Kết quả xếp loại",
                [
                    Column("Hoàn thành xuất sắc nhiệm vụ", decimals=0),
                    Column("Hoàn thành tốt nhiệm vụ", decimals=0),
                    Column("Hoàn thành nhiệm vụ", decimals=0),
                ],
            ),
            Column("Điểm bình quân", decimals=2),
            Column("Ngày chốt"),
        ],
        rows=[
            (number, name, people, best, good, done, score, datetime.date(2026, 12, 3))
            for number, (name, people, best, good, done, score) in enumerate(units, start=1)
        ],
        total=(
            sum(unit[1] for unit in units),
            sum(unit[2] for unit in units),
            sum(unit[3] for unit in units),
            sum(unit[4] for unit in units),
            Decimal("85.48"),
            None,
        ),
    )


def example_document(rows: int = len(UNITS)) -> Document:
    return Document(
        issuer=["UBND TỈNH TUYÊN QUANG", "SỞ NỘI VỤ"],
        number="Số: 125/BC-SNV",
        place="Tuyên Quang",
        day=datetime.date(2026, 12, 5),
        title="Báo cáo kết quả đánh giá, xếp loại cán bộ, công chức",
        subtitle=month_line(2026, 11),
        tables=[example_table(rows)],
        notes=[
            "Ghi chú: điểm bình quân tính trên số người được đánh giá trong tháng; người vắng "
            "mặt có lý do chính đáng không tính.",
        ],
        signatures=Signatures(
            signer=Signer(["KT. Giám đốc", "Phó Giám đốc"], name="Nguyễn Thị Hà"),
            second=Signer(["Người lập biểu"], name="Trần Văn Đức"),
            recipients=["- UBND tỉnh (b/c);", "- Giám đốc Sở;", "- Lưu: VT, TCBC."],
        ),
        stem="bao-cao-thang-11-2026",
        creator="Sở Nội vụ tỉnh Tuyên Quang",
    )
