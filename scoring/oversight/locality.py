"""The locality's month report for the home-affairs office: every unit side by side.

:func:`locality_report` reads a month in a fixed number of queries whatever the number
of units and people: one grouped query over the month's sheets gives each unit's counts
per level, the sum of its final totals, its absences, its pending and late sheets (the
lateness rule is :func:`scoring.oversight.month_report.lateness`); then the units, their
report rows (submitted or not, when), the latest lock of the month and the objectivity
flags (:func:`scoring.oversight.objectivity.objectivity_report`). Each row links to the
unit's own report. It changes nothing; the lock is :func:`scoring.cycle.periods.close_period`.

:func:`locality_document` lays it out as the document the office signs.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone, translation

from scoring.calendar.models import Period
from scoring.cycle.models import Evaluation, MonthLock, UnitMonth
from scoring.engine import Level, level_label, level_short
from scoring.engine.rollup import as_decimal
from scoring.lib.documents import Column, ColumnGroup, Document, Table, month_line
from scoring.organisation.models import Unit
from scoring.organisation.signing import signing_unit
from scoring.organisation.staff import under_paths

from .month_report import LANGUAGE, SELF_SCORED, late_sheet
from .objectivity import objectivity_report

State = Evaluation.State
LEVELS = list(Level)


@dataclass
class Figures:
    """A unit's month in numbers (or the locality's, summed)."""

    sheets: int = 0
    self_scored: int = 0
    evaluated: int = 0
    absent: int = 0
    late: int = 0
    flags: int = 0
    counts: dict[int, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    total: Decimal = Decimal(0)  # the sum of the classified sheets' final totals

    @property
    def classified(self) -> int:
        return sum(self.counts.values())

    @property
    def pending(self) -> int:
        return self.sheets - self.absent - self.evaluated

    @property
    def mean(self) -> Fraction | None:
        return Fraction(self.total) / self.classified if self.classified else None

    @property
    def mean_shown(self) -> Decimal | None:
        return None if self.mean is None else as_decimal(self.mean, 2)

    def share(self, level: int) -> Decimal | None:
        if not self.classified:
            return None
        return as_decimal(Fraction(self.counts[level] * 100, self.classified), 1)

    @property
    def level_rows(self) -> list[tuple[str, int, Decimal | None]]:
        return [(level_label(level), self.counts[level], self.share(level)) for level in LEVELS]

    def add(self, other: Figures) -> None:
        for name in ("sheets", "self_scored", "evaluated", "absent", "late", "flags"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for level in LEVELS:
            self.counts[level] += other.counts[level]
        self.total += other.total


@dataclass
class UnitRow:
    unit: Unit
    figures: Figures
    unit_month: UnitMonth | None

    @property
    def submitted(self) -> bool:
        return self.unit_month is not None and self.unit_month.is_submitted


@dataclass
class LocalityReport:
    period: Period
    rows: list[UnitRow]
    totals: Figures
    lock: MonthLock | None

    @property
    def level_heads(self) -> list[tuple[str, str]]:
        """Each level's short heading and full name, for a table's columns."""
        return [(level_short(level), level_label(level)) for level in LEVELS]

    @property
    def unsubmitted(self) -> list[UnitRow]:
        return [row for row in self.rows if not row.submitted]

    @property
    def submitted_count(self) -> int:
        return len(self.rows) - len(self.unsubmitted)

    @property
    def all_submitted(self) -> bool:
        return not self.unsubmitted


def unit_figures(
    period: Period, today: datetime.date, unit_paths: tuple[str, ...] | None = None
) -> dict[int, Figures]:
    """Each unit's figures for ``period`` (one grouped query)."""
    classified = Q(state=State.APPROVED, level__isnull=False)
    counts = {f"level_{level}": Count("pk", filter=classified & Q(level=level)) for level in LEVELS}
    rows = (
        Evaluation.objects.filter(period=period)
        .filter(under_paths(unit_paths, "unit__path"))
        .order_by()
        .values("unit_id")
        .annotate(
            sheets=Count("pk"),
            self_scored=Count("pk", filter=Q(state__in=SELF_SCORED)),
            evaluated=Count("pk", filter=Q(state=State.APPROVED)),
            absent=Count("pk", filter=Q(state=State.EXCUSED)),
            late=Count("pk", filter=late_sheet(period, today)),
            total=Sum("final_total", filter=classified),
            **counts,
        )
    )
    figures = {}
    for row in rows:
        figures[row["unit_id"]] = Figures(
            sheets=row["sheets"],
            self_scored=row["self_scored"],
            evaluated=row["evaluated"],
            absent=row["absent"],
            late=row["late"],
            counts={level: row[f"level_{level}"] for level in LEVELS},
            total=row["total"] or Decimal(0),
        )
    return figures


def locality_report(
    period: Period,
    today: datetime.date | None = None,
    unit_paths: tuple[str, ...] | None = None,
    with_flags: bool = True,
) -> LocalityReport:
    """Every unit with sheets in ``period`` (under ``unit_paths``; None: all), in tree
    order, with the locality's totals; lateness judged on ``today`` (today)."""
    today = today or timezone.localdate()
    figures = unit_figures(period, today, unit_paths)
    units = Unit.objects.filter(pk__in=list(figures)).select_related("kind").order_by("path")
    reports = {row.unit_id: row for row in UnitMonth.objects.filter(period=period)}
    if with_flags:
        flags = Counter(flag.unit_id for flag in objectivity_report(period, unit_paths).flags)
        for unit_id, count in flags.items():
            if unit_id in figures:
                figures[unit_id].flags = count
    rows = [UnitRow(unit, figures[unit.pk], reports.get(unit.pk)) for unit in units]
    totals = Figures()
    for row in rows:
        totals.add(row.figures)
    lock = period.locks.order_by("-revision").first() if period.is_closed else None
    return LocalityReport(period, rows, totals, lock)


# --- The document ---------------------------------------------------------------------


def office_unit(report: LocalityReport) -> Unit | None:
    """The unit that signs the locality's report: ``HOME_AFFAIRS_UNIT`` (a unit code) when
    set, else the nearest unit above every unit of the report."""
    code = getattr(settings, "HOME_AFFAIRS_UNIT", "")
    if code and (unit := Unit.objects.filter(code=code).first()):
        return unit
    paths = [row.unit.path for row in report.rows]
    if not paths:
        return None
    step = Unit.steplen
    common = paths[0]
    for path in paths[1:]:
        while not path.startswith(common):
            common = common[: len(common) - step]
    while common and not (unit := Unit.objects.filter(path=common).first()):
        common = common[: len(common) - step]
    return unit if common else Unit.get_first_root_node()


def document_day(report: LocalityReport) -> datetime.date:
    """The lock's day for a locked month (the same file whenever downloaded), else today."""
    if report.period.is_closed and report.period.closed_at:
        return timezone.localdate(report.period.closed_at)
    return timezone.localdate()


def title_of(period: Period) -> str:
    return f"BÁO CÁO TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI THÁNG {period.month} NĂM {period.year}"


def _submitted(row: UnitRow) -> str:
    if not row.submitted:
        return "Chưa nộp"
    return f"{timezone.localtime(row.unit_month.submitted_at):%d/%m/%Y}"


def locality_document(report: LocalityReport, day: datetime.date | None = None) -> Document:
    """The report as the document the office signs, dated ``day`` (see :func:`document_day`)."""
    with translation.override(LANGUAGE):
        return _document(report, day or document_day(report))


def _document(report: LocalityReport, day: datetime.date) -> Document:
    period, totals = report.period, report.totals
    office = office_unit(report)
    signing = signing_unit(office) if office else None
    rows = [
        (
            index,
            row.unit.name,
            row.figures.sheets,
            *(row.figures.counts[level] for level in LEVELS),
            row.figures.absent,
            row.figures.pending,
            row.figures.mean_shown,
            _submitted(row),
            row.figures.late,
        )
        for index, row in enumerate(report.rows, start=1)
    ]
    table = Table(
        headers=[
            Column("STT", decimals=0, width=5),
            Column("Đơn vị", width=28),
            Column("Số người", decimals=0, width=8),
            ColumnGroup(
                "Xếp loại",
                [Column(level_label(level), decimals=0, width=11) for level in LEVELS],
            ),
            Column("Vắng có lý do", decimals=0, width=8),
            Column("Chưa xếp loại", decimals=0, width=8),
            Column("Điểm bình quân", decimals=2, width=9),
            Column("Nộp báo cáo", width=11),
            Column("Trễ hạn", decimals=0, width=7),
        ],
        rows=rows,
        total=(
            f"{len(rows)} đơn vị",
            totals.sheets,
            *(totals.counts[level] for level in LEVELS),
            totals.absent,
            totals.pending,
            totals.mean_shown,
            f"{len(rows) - len(report.unsubmitted)}/{len(rows)}",
            totals.late,
        ),
    )
    notes = ["Tỷ lệ theo mức xếp loại (trên số đã xếp loại):"]
    for label, count, share in totals.level_rows:
        shown = f"{share}".replace(".", ",") + "%" if share is not None else "–"
        notes.append(f"- {label}: {count} người ({shown})")
    if report.lock is not None and report.lock.exception:
        names = ", ".join(unit.name for unit in report.lock.unsubmitted.all())
        notes.append(f"Khóa sổ khi chưa có báo cáo của: {names}. Lý do: {report.lock.exception}")
    return Document(
        title=title_of(period),
        issuer=signing.issuer if signing else [],
        tables=[table],
        subtitle=month_line(period.year, period.month),
        place=signing.place if signing else "",
        day=day,
        dated_above_signature=True,
        notes=notes,
        signatures=signing.signatures if signing else None,
        stem=f"bao-cao-tong-hop-{period.year}-{period.month:02d}",
        creator=office.name if office else "",
        sheet_name="Tổng hợp tháng",
    )
