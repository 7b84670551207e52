"""The office keeps the quota rules in the admin; a rule that cannot work is refused."""

from decimal import Decimal

import pytest
from django.urls import reverse

from scoring.access import roles
from scoring.models import QuotaRule
from tests import factories as f

pytestmark = pytest.mark.django_db

ADD = "quota_rules:add"


def rule_form(**fields) -> dict:
    data = {
        "name": "Quy chế Hà Nội 3814",
        "valid_from": "2026-01-01",
        "priority": "50",
        "grouping": "duty_group",
        "percent_of_all": "30",
        "exceptional_percent_of_all": "40",
        "duty_groups-TOTAL_FORMS": "0",
        "duty_groups-INITIAL_FORMS": "0",
        "duty_groups-MIN_NUM_FORMS": "0",
        "duty_groups-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data


def duty_groups(*groups) -> dict:
    data = {"duty_groups-TOTAL_FORMS": str(len(groups))}
    for index, (name, positions) in enumerate(groups):
        data[f"duty_groups-{index}-name"] = name
        data[f"duty_groups-{index}-positions"] = [p.pk for p in positions]
        data[f"duty_groups-{index}-ORDER"] = str(index + 1)
    return data


@pytest.fixture
def office(client):
    client.force_login(f.user("noivu", roles.HOME_AFFAIRS))
    return client


def test_the_office_adds_a_rule_with_its_duty_groups(office):
    specialist, accountant = f.position("chuyen-vien"), f.position("ke-toan")
    data = rule_form(**duty_groups(("Chuyên môn", [specialist]), ("Kế toán", [accountant])))
    response = office.post(reverse(ADD), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    rule = QuotaRule.objects.get(name="Quy chế Hà Nội 3814")
    assert [g.name for g in rule.duty_groups.all()] == ["Chuyên môn", "Kế toán"]
    assert rule.cap(exceptional=True).share_of_all == Decimal("0.4")


def test_a_position_in_two_duty_groups_is_refused(office):
    specialist = f.position("chuyen-vien")
    data = rule_form(**duty_groups(("A", [specialist]), ("B", [specialist])))
    response = office.post(reverse(ADD), data)
    assert "Mỗi chức danh chỉ thuộc một nhóm nhiệm vụ." in response.content.decode()
    assert not QuotaRule.objects.filter(name="Quy chế Hà Nội 3814").exists()


def test_a_rule_without_any_cap_or_groups_is_refused(office):
    data = rule_form(percent_of_all="", exceptional_percent_of_all="")
    body = office.post(reverse(ADD), data).content.decode()
    assert "Cần ít nhất một mức trần" in body
    assert "Hãy liệt kê các nhóm nhiệm vụ" in body
    assert not QuotaRule.objects.filter(name="Quy chế Hà Nội 3814").exists()


def test_staff_may_not_change_the_rules(client):
    client.force_login(f.user("canbo", roles.STAFF_MEMBER))
    response = client.get(reverse(ADD))
    assert response.status_code in (302, 403)
    assert "/login/" not in response.get("Location", "")
