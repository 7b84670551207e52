"""A March 2026 in which the commune clerk's sheet is evaluated, ready to be contested.

The clerk (``canbo``) is evaluated by the commune chair (``danhgia``), whose own sheet
is evaluated by the province chair (``tinh``): the clerk's contests go to the province
chair. A council at the district (``hoidong``) hears the contests nobody above can take.
"""

import datetime

import pytest


def entries(data, **points):
    """Map line codes to (points, note) for the sheet's criteria."""
    by_code = {c.code: c for c in data.criteria}
    return {by_code[code].pk: value for code, value in points.items()}


@pytest.fixture
def people(locality):
    from scoring.access import roles
    from tests import factories as f

    accounts = {
        "clerk": f.user("canbo", roles.STAFF_MEMBER),
        "chair": f.user("danhgia", roles.EVALUATOR),
        "province": f.user("tinh", roles.EVALUATOR),
        "member": f.user("hoidong", roles.EVALUATOR),
        "other": f.user("khac", roles.STAFF_MEMBER),
        "office": f.user("noivu", roles.HOME_AFFAIRS),
    }
    for key, person in (
        ("clerk", "commune_clerk"),
        ("chair", "commune_chair"),
        ("province", "province_chair"),
        ("member", "district_secretary"),
        ("other", "agency_specialist"),
    ):
        locality[person].user = accounts[key]
        locality[person].save()
    return accounts


@pytest.fixture
def hearing_council(locality):
    """The district's council for contests: hears every unit of the district."""
    district = locality["district"]
    council = district.councils.create(name="Hội đồng xét khiếu nại huyện", contest_scope=district)
    council.members.set([locality["district_secretary"]])
    council.save()
    return council


@pytest.fixture
def month(locality):
    from scoring.cycle import periods
    from scoring.models import Period

    today = datetime.date.today()
    result = periods.open_period(
        2026,
        3,
        plan_deadline=today - datetime.timedelta(days=20),
        self_deadline=today + datetime.timedelta(days=10),
        evaluation_deadline=today + datetime.timedelta(days=20),
    )
    periods.advance_period(result.period, Period.State.SELF_SCORING)
    return result.period


def sheet_of(person, period):
    from scoring.cycle import sheets
    from scoring.models import Evaluation

    return sheets.load(Evaluation.objects.get(staff=person, period=period).pk)


@pytest.fixture
def evaluated(month, locality, people):
    """The clerk's sheet: self-assessed 99, evaluated 87 (level 2) with C1 and C2 at 2."""
    from scoring.cycle import sheets
    from scoring.models import WorkItem, WorkProduct

    data = sheet_of(locality["commune_clerk"], month)
    WorkItem.objects.create(
        evaluation=data.evaluation,
        product=WorkProduct.objects.get(code="quyet-dinh"),
        quantity=2,
        deadline=datetime.date(2026, 3, 20),
        done=True,
    )
    data = sheet_of(locality["commune_clerk"], month)
    clerk, chair = people["clerk"], people["chair"]
    sheets.save_self_scores(
        data,
        clerk,
        entries(data, C1=(8, ""), C2=(8, ""), C3=(7, ""), C4=(6, "")),
        data.evaluation.version,
    )
    sheets.submit(data, clerk, data.evaluation.version)
    data = sheet_of(locality["commune_clerk"], month)
    sheets.approve(
        data,
        chair,
        entries(data, C1=(2, "Chưa gương mẫu"), C2=(2, "Đi muộn")),
        data.evaluation.version,
    )
    return sheet_of(locality["commune_clerk"], month).evaluation
