"""A unit's month report: every sheet, the counts per level, the mean, what is late.

:func:`month_report` reads one unit and month (:class:`~scoring.calendar.models.Period`)
in a fixed number of queries whatever the headcount: the sheets with their people and
positions (one query), the reasons of the absences behind the excused sheets (one), the
unit's report row (submitted, reopened) and the unit's quota check
(:func:`scoring.oversight.quota.quota_check`). It changes nothing; submitting and
reopening are :mod:`scoring.oversight.submission`.

Lateness is one rule, :func:`lateness`: four conditions on a sheet, as database
expressions, that this report reads per sheet and the locality report counts per unit.

:func:`month_document` lays the report out as the document the unit signs ("BÁO CÁO KẾT
QUẢ ĐÁNH GIÁ, XẾP LOẠI THÁNG 11 NĂM 2026"), in Vietnamese whatever the reader's language.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone, translation
from django.utils.text import slugify

from scoring.calendar.models import Period
from scoring.contests.contests import open_contests
from scoring.contests.models import Contest
from scoring.cycle.models import Absence, Evaluation, UnitMonth
from scoring.engine import Level, level_label
from scoring.engine.rollup import as_decimal, exact_mean
from scoring.lib.documents import Column, Document, Table, month_line
from scoring.lib.months import month_bounds
from scoring.organisation.models import Unit
from scoring.organisation.signing import signing_unit

from .quota import QuotaCheck, quota_check

State = Evaluation.State
SELF_SCORED = (State.SUBMITTED, State.APPROVED)
LANGUAGE = "vi"
ABSENT = "Vắng có lý do chính đáng"
PREPARER = "Người lập biểu"
HEAD = "Thủ trưởng đơn vị"


@dataclass(frozen=True)
class PersonLine:
    """One sheet of the month as the report lists it.

    ``missing_self`` and ``missing_evaluation`` say the self-scoring or the evaluation is
    not done although its deadline has passed; ``late_self`` and ``late_evaluation`` that
    it was done after its deadline.
    """

    evaluation_id: int
    staff_id: int
    full_name: str
    staff_code: str
    position: str
    state: str
    state_label: str
    self_total: Decimal | None
    final_total: Decimal | None
    level: int | None
    level_label: str
    absence_reason: str = ""
    missing_self: bool = False
    missing_evaluation: bool = False
    late_self: bool = False
    late_evaluation: bool = False

    @property
    def is_absent(self) -> bool:
        return self.state == State.EXCUSED

    @property
    def is_late(self) -> bool:
        return (
            self.missing_self or self.missing_evaluation or self.late_self or self.late_evaluation
        )


@dataclass(frozen=True)
class LevelCount:
    """The people at one level and their share of those classified (a Decimal percent
    with one decimal, ``None`` when nobody is classified)."""

    level: int
    label: str
    count: int
    share: Decimal | None


@dataclass(frozen=True)
class MonthReport:
    """A unit's month: the lines, the counts per level, the mean, the late sheets and
    the quota check. Only evaluated sheets are classified; ``mean`` is the exact mean of
    their final totals (absent people left out), ``mean_shown`` it cut to two decimals."""

    unit: Unit
    period: Period
    lines: list[PersonLine]
    levels: list[LevelCount]
    classified: int
    absent: int
    pending: int
    mean: Fraction | None
    quota: QuotaCheck
    unit_month: UnitMonth | None = None
    contests: list[Contest] = field(default_factory=list)  # open ones: they hold submission

    @property
    def submitted(self) -> bool:
        return self.unit_month is not None and self.unit_month.is_submitted

    @property
    def mean_shown(self) -> Decimal | None:
        return None if self.mean is None else as_decimal(self.mean, 2)

    @property
    def late(self) -> list[PersonLine]:
        return [line for line in self.lines if line.is_late]


def _share(count: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return as_decimal(Fraction(count * 100, whole), 1)


def absence_reasons(period: Period, staff_ids: list[int]) -> dict[int, str]:
    """Each person's reasons for absence in the month, joined (one query; none when
    nobody is absent)."""
    if not staff_ids:
        return {}
    first, last = month_bounds(period.year, period.month)
    reasons: dict[int, list[str]] = defaultdict(list)
    absences = (
        Absence.objects.filter(staff_id__in=staff_ids, start_date__lte=last, end_date__gte=first)
        .order_by("start_date", "pk")
        .values_list("staff_id", "reason__name")
    )
    for staff_id, name in absences:
        if name not in reasons[staff_id]:
            reasons[staff_id].append(name)
    return {staff_id: ", ".join(names) for staff_id, names in reasons.items()}


def lateness(period: Period, today: datetime.date) -> dict[str, Q]:
    """When a sheet of ``period`` is late, judged on ``today``: not self-scored or not
    evaluated although the deadline has passed, or done after it (by the local date).
    A sheet absent for good cause is never late."""
    present = ~Q(state=State.EXCUSED)

    def passed(deadline: datetime.date) -> Q:  # a condition true of every sheet, or of none
        return Q(pk__isnull=not today > deadline)

    return {
        "missing_self": present & ~Q(state__in=SELF_SCORED) & passed(period.self_deadline),
        "missing_evaluation": present
        & ~Q(state=State.APPROVED)
        & passed(period.evaluation_deadline),
        "late_self": present & Q(submitted_at__date__gt=period.self_deadline),
        "late_evaluation": present & Q(decided_at__date__gt=period.evaluation_deadline),
    }


def late_sheet(period: Period, today: datetime.date) -> Q:
    """Any of the four conditions of :func:`lateness`."""
    conditions = list(lateness(period, today).values())
    late = conditions[0]
    for condition in conditions[1:]:
        late |= condition
    return late


def with_lateness(sheets, period: Period, today: datetime.date):
    """``sheets`` annotated with the four lateness flags (computed by the database)."""
    return sheets.annotate(
        **{
            name: ExpressionWrapper(condition, output_field=BooleanField())
            for name, condition in lateness(period, today).items()
        }
    )


def person_line(sheet: Evaluation, reason: str) -> PersonLine:
    """A sheet read by :func:`month_report` (annotated by :func:`with_lateness`)."""
    excused = sheet.state == State.EXCUSED
    return PersonLine(
        evaluation_id=sheet.pk,
        staff_id=sheet.staff_id,
        full_name=sheet.staff.full_name,
        staff_code=sheet.staff.code,
        position=sheet.position.name,
        state=sheet.state,
        state_label=str(sheet.get_state_display()),
        self_total=None if excused else sheet.self_total,
        final_total=None if excused else sheet.final_total,
        level=None if excused else sheet.level,
        level_label=level_label(sheet.level) if sheet.level and not excused else "",
        absence_reason=reason if excused else "",
        missing_self=bool(sheet.missing_self),
        missing_evaluation=bool(sheet.missing_evaluation),
        late_self=bool(sheet.late_self),
        late_evaluation=bool(sheet.late_evaluation),
    )


def month_report(unit: Unit, period: Period, today: datetime.date | None = None) -> MonthReport:
    """The report of ``unit`` for ``period``, lateness judged on ``today`` (today)."""
    today = today or timezone.localdate()
    sheets = list(
        with_lateness(Evaluation.objects.filter(unit=unit, period=period), period, today)
        .select_related("staff", "position", "period")
        .order_by("staff__full_name", "pk")
    )
    excused = [sheet.staff_id for sheet in sheets if sheet.state == State.EXCUSED]
    reasons = absence_reasons(period, excused)
    lines = [person_line(sheet, reasons.get(sheet.staff_id, "")) for sheet in sheets]
    counted = [line for line in lines if line.state == State.APPROVED and line.level is not None]
    classified = len(counted)
    levels = []
    for level in Level:
        count = sum(1 for line in counted if line.level == level)
        levels.append(LevelCount(level, level_label(level), count, _share(count, classified)))
    totals = [line.final_total for line in counted if line.final_total is not None]
    absent = sum(1 for line in lines if line.is_absent)
    return MonthReport(
        unit=unit,
        period=period,
        lines=lines,
        levels=levels,
        classified=classified,
        absent=absent,
        pending=len(lines) - absent - classified,
        mean=exact_mean(totals),
        quota=quota_check(unit, period),
        unit_month=UnitMonth.objects.filter(period=period, unit=unit)
        .select_related("reopened_by")
        .first(),
        contests=open_contests(period, unit),
    )


def document_day(report: MonthReport) -> datetime.date:
    """The date the document bears: the day the unit submitted it, else the day the
    month was locked, else today. A submitted or locked report is thus the same file
    whenever it is downloaded."""
    row = report.unit_month
    if row is not None and row.is_submitted:
        return timezone.localdate(row.submitted_at)
    if report.period.is_closed and report.period.closed_at:
        return timezone.localdate(report.period.closed_at)
    return timezone.localdate()


# --- The document ---------------------------------------------------------------------


def title_of(period: Period) -> str:
    return f"BÁO CÁO KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI THÁNG {period.month} NĂM {period.year}"


def _comma(value: Decimal | None) -> str:
    return "" if value is None else f"{value}".replace(".", ",")


def level_notes(report: MonthReport) -> list[str]:
    notes = ["Số người theo mức xếp loại:"]
    for row in report.levels:
        share = f" ({_comma(row.share)}%)" if row.share is not None else ""
        notes.append(f"- {row.label}: {row.count} người{share}")
    if report.absent:
        notes.append(f"- Vắng có lý do chính đáng: {report.absent} người")
    if report.pending:
        notes.append(f"- Chưa xếp loại: {report.pending} người")
    mean = report.mean_shown
    notes.append("Điểm bình quân: " + (_comma(mean) if mean is not None else "không có."))
    return notes


def month_document(report: MonthReport, day: datetime.date | None = None) -> Document:
    """The report as the document its unit signs, dated ``day`` (today)."""
    with translation.override(LANGUAGE):
        return _document(report, day or document_day(report))


def _document(report: MonthReport, day: datetime.date) -> Document:
    unit, period = report.unit, report.period
    signing = signing_unit(unit)
    rows = [
        (
            index,
            line.full_name,
            line.position,
            line.self_total,
            line.final_total,
            ABSENT if line.is_absent else line.level_label,
            line.absence_reason if line.is_absent else str(line.state_label),
        )
        for index, line in enumerate(report.lines, start=1)
    ]
    table = Table(
        headers=[
            Column("STT", decimals=0, width=5),
            Column("Họ và tên", width=24),
            Column("Chức vụ", width=16),
            Column("Điểm tự chấm", decimals=2, width=10),
            Column("Điểm đánh giá", decimals=2, width=10),
            Column("Xếp loại", width=22),
            Column("Ghi chú", width=24),
        ],
        rows=rows,
        total=(f"{len(rows)} người", None, None, None, None),
    )
    return Document(
        title=title_of(period),
        issuer=signing.issuer,
        tables=[table],
        subtitle=f"{month_line(period.year, period.month)} – Đơn vị: {unit.name}",
        place=signing.place,
        day=day,
        dated_above_signature=True,
        notes=level_notes(report),
        signatures=signing.signatures,
        stem=f"bao-cao-thang-{slugify(unit.code) or unit.pk}-{period.year}-{period.month:02d}",
        creator=unit.name,
        sheet_name="Báo cáo tháng",
    )
