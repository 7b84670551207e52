"""A month of evaluated sheets to check: units of people, each with a total and a level.

Sheets are written as a closed month would leave them (a final total, its level, the
lines as frozen), without playing the month through: the checks only read them.
"""

import datetime
from decimal import Decimal

import pytest

# Imported in the fixtures: the engine tests of this package run without Django too.


def band_level(total: Decimal) -> int:
    return 1 if total >= 90 else 2 if total >= 70 else 3 if total >= 50 else 4


@pytest.fixture
def month(db):
    """March 2026, in evaluation (a closed month refuses new sheets)."""
    return make_period(2026, 3)


def make_period(year: int, month: int):
    from scoring.models import Period

    day = datetime.date(year, month, 28)
    return Period.objects.create(
        year=year,
        month=month,
        state=Period.State.EVALUATION,
        plan_deadline=day,
        self_deadline=day,
        evaluation_deadline=day,
    )


@pytest.fixture
def make_sheet(db):
    """``make_sheet(period, person, unit, position, total, ...)``: one evaluated sheet."""
    from scoring.models import CriteriaSet, Evaluation

    criteria_set = CriteriaSet.objects.order_by("pk").first()

    def make(
        period,
        person,
        unit,
        position,
        total,
        evaluator=None,
        self_total=None,
        level=None,
        lines=None,
        state=Evaluation.State.APPROVED,
    ):
        total = Decimal(str(total))
        lines = lines if lines is not None else [("C1", str(total))]
        return Evaluation.objects.create(
            period=period,
            staff=person,
            criteria_set=criteria_set,
            unit=unit,
            position=position,
            evaluator=evaluator,
            state=state,
            self_total=Decimal(str(self_total)) if self_total is not None else total,
            final_total=total,
            level=level or band_level(total),
            explanation={
                "lines": [
                    {"code": code, "points": points, "max": "100", "explanation": ""}
                    for code, points in lines
                ]
            },
        )

    return make


@pytest.fixture
def agency(locality):
    """An agency of the district with its head (the evaluator of its people)."""
    from tests import factories as f

    unit = f.unit("Phòng Tài chính – Kế hoạch", "agency", locality["district"])
    head = f.staff("Đỗ Văn Trưởng", unit, f.position("truong-phong"))
    return {"unit": unit, "head": head}


@pytest.fixture
def people_in(db):
    """``people_in(unit, position, count, prefix)``: that many people holding the post."""
    from tests import factories as f

    def make(unit, position, count, prefix="Người"):
        return [f.staff(f"{prefix} {index:02d}", unit, position) for index in range(count)]

    return make


@pytest.fixture
def accounts(agency, locality):
    """The office, the agency's head and a commune clerk, each with a login."""
    from scoring.access import roles
    from tests import factories as f

    head = f.user("truongphong", roles.UNIT_HEAD)
    agency["head"].user = head
    agency["head"].save()
    clerk = f.user("canbo", roles.STAFF_MEMBER)
    locality["commune_clerk"].user = clerk
    locality["commune_clerk"].save()
    return {"office": f.user("noivu", roles.HOME_AFFAIRS), "head": head, "clerk": clerk}
