"""A worked November 2026: an agency midway through its month and a commune that submitted.

Sheets are written as the month would leave them (states, totals, work items, the unit
report row), without playing the month through: the dashboard only reads them. The
oversight tests' builders (an agency with its head, people, evaluated sheets, the office
and head logins) are shared from their conftest.
"""

import datetime

import pytest

from tests.scoring.oversight import conftest as oversight

accounts = oversight.accounts
agency = oversight.agency
make_sheet = oversight.make_sheet
people_in = oversight.people_in
make_period = oversight.make_period

AFTER = datetime.date(2026, 12, 2)  # every deadline of November has passed


@pytest.fixture
def november(db):
    return make_period(2026, 11)


@pytest.fixture
def add_plan(db):
    """``add_plan(sheet)``: one work item on the sheet's plan."""
    from scoring.models import WorkItem, WorkProduct

    product = WorkProduct.objects.get(code="bao-cao")

    def add(sheet):
        return WorkItem.objects.create(
            evaluation=sheet, product=product, deadline=datetime.date(2026, 11, 20)
        )

    return add


@pytest.fixture
def set_state(db):
    """``set_state(sheet, state)``: the sheet moved to ``state``, with no score if it is
    not evaluated (written past the sheet rules, as a month would leave it)."""
    from scoring.models import Evaluation

    def move(sheet, state):
        fields = {"state": state}
        if state != Evaluation.State.APPROVED:
            fields.update(final_total=None, level=None)
        if state in (Evaluation.State.DRAFT, Evaluation.State.EXCUSED):
            fields["self_total"] = None
        Evaluation.objects.filter(pk=sheet.pk).update(**fields)

    return move


@pytest.fixture
def worked_month(agency, locality, people_in, make_sheet, add_plan, set_state, november):
    """The agency: three evaluated sheets (self 70, final 90: a leniency flag), one with a
    plan; one self-scored with a plan; one draft with a plan, one draft with none; one
    absent. The commune: a draft with no plan and a self-scored sheet, its report
    submitted on 30 November."""
    from django.utils import timezone

    from scoring.models import Evaluation, UnitMonth
    from tests import factories as f

    State = Evaluation.State
    post = f.position("chuyen-vien")
    people = people_in(agency["unit"], post, 7, "Chuyên viên")
    head = agency["head"]
    sheets = [
        make_sheet(november, person, agency["unit"], post, "90", evaluator=head, self_total="70")
        for person in people
    ]
    add_plan(sheets[0])
    for sheet, state in zip(
        sheets[3:], [State.SUBMITTED, State.DRAFT, State.DRAFT, State.EXCUSED], strict=True
    ):
        set_state(sheet, state)
    add_plan(sheets[3])
    add_plan(sheets[4])

    commune, clerk_post = locality["commune"], locality["clerk_position"]
    drafted = make_sheet(november, locality["commune_clerk"], commune, clerk_post, "80")
    scored = make_sheet(november, locality["commune_vice"], commune, clerk_post, "80")
    set_state(drafted, State.DRAFT)
    set_state(scored, State.SUBMITTED)
    submitted_at = timezone.make_aware(datetime.datetime(2026, 11, 30, 16, 45))
    UnitMonth.objects.create(period=november, unit=commune, submitted_at=submitted_at)
    return {"agency": sheets, "commune": [drafted, scored], "submitted_at": submitted_at}
