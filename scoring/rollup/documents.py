"""A unit's quarter or year results as the document its office signs.

:func:`unit_year_document` lays a :class:`~scoring.rollup.years.UnitYear` out as a
:class:`~scoring.lib.documents.Document` ("KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG NĂM 2026", or
"… QUÝ III NĂM 2026"): the unit's parent and the unit as the issuing body, one row per
person (STT, Họ và tên, Chức vụ, each month's total or "vắng", the mean with two
decimals, the level, a note with the override reason and the months absent), a total
row counting the people, notes counting the people at each level and listing the reward
and attention lists, the place and date, and the signatures: the unit's head (their
position and name; "THỦ TRƯỞNG ĐƠN VỊ" when the post is vacant) and "NGƯỜI LẬP BIỂU".

The document's words are the office's, in Vietnamese whatever the reader's language
(:func:`report_document` builds the report itself in Vietnamese), so the admin's download
and ``manage.py rollup_report`` give the same bytes. A fixed number of queries, however
many people.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.utils import timezone, translation
from django.utils.text import slugify

from scoring.cycle.models import Evaluation
from scoring.engine import level_label
from scoring.engine.types import Level
from scoring.lib.documents import Column, Document, Table
from scoring.organisation.models import Unit
from scoring.organisation.signing import signing_unit

from .years import PersonYear, Standing, UnitYear, unit_year

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
ABSENT = "vắng"
PENDING = "chưa ĐG"
LANGUAGE = "vi"


def title_of(year: int, quarter: int | None) -> str:
    period = f"NĂM {year}" if quarter is None else f"QUÝ {ROMAN[quarter]} NĂM {year}"
    return f"KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG {period}"


def month_numbers(quarter: int | None) -> list[int]:
    return list(range(1, 13)) if quarter is None else list(range(quarter * 3 - 2, quarter * 3 + 1))


def standing_of(person: PersonYear, quarter: int | None) -> Standing:
    return person.result if quarter is None else person.quarters[quarter - 1]


def month_cell(standing: Standing, month: int):
    row = next((row for row in standing.months if row.month == month), None)
    if row is None or row.status is None:
        return None
    if row.is_absent:
        return ABSENT
    if not row.is_counted:
        return PENDING
    return row.total


def note_of(standing: Standing) -> str:
    parts = []
    if standing.override:
        parts.append(standing.override)
    absent = [str(left.month) for left in standing.absences]
    if absent:
        parts.append("Vắng có lý do chính đáng tháng " + ", ".join(absent))
    return "; ".join(parts)


def positions_of(report: UnitYear) -> dict[int, str]:
    """Each person's position in the unit: that of their latest month in it (one query)."""
    sheets = (
        Evaluation.objects.filter(unit_id__in=list(report.unit_ids), period__year=report.year)
        .order_by("period__month", "pk")
        .values_list("staff_id", "position__name")
    )
    return dict(sheets)


def shown(total) -> str:
    """A total in a note's words, as Vietnamese writes it: 95,00."""
    return "" if total is None else f"{total:.2f}".replace(".", ",")


def level_notes(report: UnitYear, standings: list[Standing]) -> list[str]:
    counts = Counter(standing.level for standing in standings if standing.level is not None)
    notes = ["Số người theo mức xếp loại:"]
    notes.extend(f"- {level_label(level)}: {counts.get(level, 0)} người" for level in Level)
    unrated = len(standings) - sum(counts.values())
    if unrated:
        notes.append(f"- Chưa xếp loại: {unrated} người")
    rewards = ", ".join(f"{p.full_name} ({shown(p.result.total)})" for p in report.rewards)
    notes.append(
        "Đề nghị khen thưởng (cả năm Hoàn thành xuất sắc nhiệm vụ): " + (rewards or "không có.")
    )
    attention = "; ".join(f"{p.full_name}: {', '.join(reasons)}" for p, reasons in report.attention)
    notes.append("Cần quan tâm, nhắc nhở: " + (attention or "không có."))
    if report.predecessors:
        notes.append("Gồm cả người công tác tại: " + ", ".join(report.predecessors) + ".")
    return notes


def unit_year_document(report: UnitYear, unit: Unit, day: datetime.date | None = None) -> Document:
    """The document of ``report`` (``unit`` is its unit), dated ``day`` (today)."""
    with translation.override(LANGUAGE):
        return _document(report, unit, day or timezone.localdate())


def _document(report: UnitYear, unit: Unit, day: datetime.date) -> Document:
    signing = signing_unit(unit)
    positions = positions_of(report)
    numbers = month_numbers(report.quarter)
    standings = [standing_of(person, report.quarter) for person in report.people]
    rows = [
        (
            index,
            person.full_name,
            positions.get(person.staff_id, ""),
            *(month_cell(standing, month) for month in numbers),
            standing.total,
            standing.level_label,
            note_of(standing),
        )
        for index, (person, standing) in enumerate(
            zip(report.people, standings, strict=True), start=1
        )
    ]
    table = Table(
        headers=[
            Column("STT", decimals=0, width=5),
            Column("Họ và tên", width=24),
            Column("Chức vụ", width=16),
            *(Column(f"Tháng {month}", decimals=2, width=8) for month in numbers),
            Column("Điểm bình quân", decimals=2, width=10),
            Column("Xếp loại", width=20),
            Column("Ghi chú", width=24),
        ],
        rows=rows,
        total=(f"{len(rows)} người", None),
        total_label="Tổng cộng",
    )
    period = (
        f"nam-{report.year}" if report.quarter is None else f"quy-{report.quarter}-{report.year}"
    )
    return Document(
        title=title_of(report.year, report.quarter),
        issuer=signing.issuer,
        tables=[table],
        subtitle=f"Đơn vị: {unit.name}",
        place=signing.place,
        day=day,
        dated_above_signature=True,
        notes=level_notes(report, standings),
        signatures=signing.signatures,
        stem=f"ket-qua-xep-loai-{slugify(unit.code) or unit.pk}-{period}",
        creator=unit.name,
        sheet_name="Xếp loại quý" if report.quarter else "Xếp loại năm",
    )


def report_document(
    unit: Unit, year: int, quarter: int | None = None, day: datetime.date | None = None
) -> Document:
    """The unit's year (or quarter) computed in Vietnamese and laid out as its document."""
    with translation.override(LANGUAGE):
        return _document(unit_year(unit, year, quarter), unit, day or timezone.localdate())
