"""The roll-up reads months as the cycle leaves them: frozen at close, absent, or pending."""

import datetime

import pytest

from scoring.cycle import periods
from scoring.engine.rollup import MonthStatus
from scoring.models import Absence, AbsenceReason, Evaluation
from scoring.rollup.years import person_quarter, unit_year

pytestmark = pytest.mark.django_db


def test_a_closed_month_counts_its_frozen_total_and_an_absent_one_is_left_out(locality):
    clerk, vice = locality["commune_clerk"], locality["commune_vice"]
    Absence.objects.create(
        staff=clerk,
        reason=AbsenceReason.objects.get(code="thai-san"),
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 3, 31),
    )
    march = periods.open_period(2026, 3).period
    periods.close_period(march, exception="kiểm thử")
    periods.open_period(2026, 4)
    frozen = Evaluation.objects.get(staff=vice, period=march)
    quarter = person_quarter(vice, 2026, 1)
    assert quarter.used == (3,) and quarter.total == frozen.final_total
    april = person_quarter(vice, 2026, 2)
    assert [(m.month, m.status) for m in april.left_out] == [(4, MonthStatus.PENDING)]
    assert april.total is None and april.level is None
    absent = person_quarter(clerk, 2026, 1)
    assert [(m.month, m.status) for m in absent.left_out] == [(3, MonthStatus.ABSENT)]
    report = unit_year(locality["commune"], 2026)
    assert {p.staff_id for p in report.people} >= {clerk.pk, vice.pk}
