"""The subject-access export: everything stored about one person, for the office only."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from scoring.access import roles
from scoring.cycle import periods
from scoring.models import (
    Absence,
    AbsenceReason,
    Contest,
    CriterionScore,
    Discipline,
    Evaluation,
    WorkItem,
    WorkProduct,
)
from scoring.privacy.personal_data import EXPORTED, export_person, person_data
from scoring.ratings import receipts as receipt_service
from tests import factories as f

pytestmark = pytest.mark.django_db

KINDS = {
    "staff",
    "assignments",
    "absences",
    "evaluator_overrides",
    "evaluations",
    "work_items",
    "criterion_scores",
    "contests",
    "disciplines",
    "receipts_issued",
    "user_account",
    "sign_ins",
    "audit_log",
}


def refused(response) -> bool:
    """Wagtail answers a missing permission with 403 or a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and "/login/" not in response["Location"]
    )


def sheet_with_lines(staff, month):
    """The person's sheet of ``month`` with one planned task and one self-scored line."""
    period = periods.open_period(2026, month).period
    sheet = Evaluation.objects.get(staff=staff, period=period)
    WorkItem.objects.create(
        evaluation=sheet,
        product=WorkProduct.objects.filter(active=True).first(),
        quantity=Decimal(2),
        deadline=datetime.date(2026, month, 20),
        description=f"Báo cáo tháng {month}",
    )
    criterion = sheet.criteria_set.groups.first().criteria.first()
    CriterionScore.objects.create(
        evaluation=sheet, criterion=criterion, self_points=Decimal(1), self_reason="tự chấm"
    )
    return sheet


@pytest.fixture
def person(locality, desk, client):
    """The commune's clerk, with a login and one record of every kind."""
    clerk = locality["commune_clerk"]
    clerk.user = f.user("giang-thi-cong", roles.STAFF_MEMBER)
    clerk.save()
    sheet = sheet_with_lines(clerk, 3)
    Contest.objects.create(
        evaluation=sheet,
        filed_by=clerk.user,
        decider=locality["commune_chair"],
        grounds="Chưa đúng thực tế",
        old_total=Decimal(80),
        old_level=2,
    )
    reason = AbsenceReason.objects.create(code="om-dai-ngay", name="Ốm dài ngày")
    Absence.objects.create(
        staff=clerk,
        reason=reason,
        start_date=datetime.date(2026, 4, 1),
        end_date=datetime.date(2026, 4, 30),
    )
    Discipline.objects.create(
        staff=clerk,
        kind=Discipline.Kind.REPRIMAND,
        decided_on=datetime.date(2026, 2, 1),
        decision_number="12/QĐ-UBND",
    )
    receipt_service.issue_receipt(desk, clerk, "H00001", "Chứng thực", datetime.date(2026, 3, 9))
    client.post(reverse("wagtailadmin_login"), {"username": "giang-thi-cong", "password": "x"})
    return clerk


@pytest.fixture
def other(locality):
    """Someone else, with a login and a sheet of their own."""
    specialist = locality["agency_specialist"]
    specialist.user = f.user("pham-van-chuyen")
    specialist.save()
    Discipline.objects.create(
        staff=specialist,
        kind=Discipline.Kind.REPRIMAND,
        decided_on=datetime.date(2026, 2, 2),
        decision_number="99/QĐ-KHAC",
    )
    return specialist


def test_every_kind_of_record_of_the_person_is_exported(person):
    data = person_data(person)

    assert data.keys() >= KINDS
    assert data["staff"][0]["code"] == person.code
    assert data["assignments"][0]["unit__name"] == "Xã Quyết Tiến"
    assert data["absences"][0]["reason__name"] == "Ốm dài ngày"
    assert [row["period__month"] for row in data["evaluations"]] == [3]
    assert data["work_items"][0]["description"] == "Báo cáo tháng 3"
    assert data["criterion_scores"][0]["self_reason"] == "tự chấm"
    assert data["contests"][0]["grounds"] == "Chưa đúng thực tế"
    assert data["disciplines"][0]["decision_number"] == "12/QĐ-UBND"
    assert data["receipts_issued"] == [
        {"issued_on__year": 2026, "issued_on__month": 3, "receipts": 1, "rated": 0}
    ]
    (account,) = data["user_account"]
    assert account["username"] == "giang-thi-cong"
    assert not {"password", "password_hash"} & account.keys()
    assert data["sign_ins"]["counted_failures"][0]["failures_since_start"] == 1
    actions = {entry["action"] for entry in data["audit_log"]["entries"]}
    assert "portal.login_failed" in actions


def test_the_two_factor_devices_are_listed_without_their_keys_or_codes(person):
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    phone = TOTPDevice.objects.create(user=person.user, name="Điện thoại", confirmed=True)
    codes = StaticDevice.objects.create(user=person.user, name="Mã dự phòng", confirmed=True)
    codes.token_set.create(token="ab12cd34")
    codes.token_set.create(token="ef56gh78")

    exported = person_data(person)["two_factor"]

    assert [row["name"] for row in exported["authenticators"]] == ["Điện thoại"]
    assert exported["recovery_codes"][0]["unused"] == 2
    text = export_person(person).decode()
    assert phone.key not in text and "ab12cd34" not in text


def test_another_persons_data_is_absent(person, other):
    text = json.dumps(person_data(person), default=str, ensure_ascii=False)

    for trace in (other.code, other.full_name, "pham-van-chuyen", "99/QĐ-KHAC"):
        assert trace not in text
    assert "giang-thi-cong" in text


def test_the_export_takes_as_many_queries_whatever_the_history(person):
    with CaptureQueriesContext(connection) as one_month:
        person_data(person)
    for month in (4, 5, 6):
        sheet_with_lines(person, month)
    with CaptureQueriesContext(connection) as four_months:
        data = person_data(person)
    assert len(data["evaluations"]) == 4
    assert len(four_months) == len(one_month) <= 20


def test_the_office_downloads_it_from_the_persons_page_and_it_is_logged(person, client):
    office = f.user("noivu", roles.HOME_AFFAIRS)
    client.force_login(office)
    url = reverse("scoring_personal_data", args=[person.pk])

    page = client.get(reverse("staff:edit", args=[person.pk]))
    assert page.status_code == 200 and url in page.content.decode()

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.content).keys() >= KINDS
    logged = ModelLogEntry.objects.filter(action=EXPORTED, object_id=str(person.pk)).get()
    assert logged.user == office
    assert client.get(reverse("scoring_personal_data", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", [roles.EVALUATOR, roles.UNIT_HEAD, roles.STAFF_MEMBER])
def test_no_one_but_the_office_may_export_it(person, client, role):
    user = f.user("khac", role)
    client.force_login(user)

    response = client.get(reverse("scoring_personal_data", args=[person.pk]))
    assert refused(response) and "Content-Disposition" not in response
    page = client.get(reverse("staff:edit", args=[person.pk]))
    assert "personal-data" not in page.content.decode()
    assert not ModelLogEntry.objects.filter(action=EXPORTED).exists()


def test_the_person_themself_is_refused_too(person, client):
    client.force_login(person.user)
    assert refused(client.get(reverse("scoring_personal_data", args=[person.pk])))


def test_the_command_writes_the_file_and_refuses_an_unknown_code(person, tmp_path):
    target = tmp_path / "person.json"
    call_command("export_person", person.code, output=str(target))

    assert json.loads(target.read_text())["staff_code"] == person.code
    assert ModelLogEntry.objects.filter(action=EXPORTED).count() == 1
    with pytest.raises(CommandError):
        call_command("export_person", "NO-SUCH-CODE")
