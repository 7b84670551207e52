"""A receipt's date, typed at the desk or sent by a dossier system, lies between 1900 and 2100."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from scoring.access import roles
from scoring.models import Receipt
from scoring.ratings import desks
from tests import factories as f

pytestmark = pytest.mark.django_db

VIETNAMESE = "01/01/1850 không phải là ngày hợp lệ: năm phải trong khoảng từ 1900 đến 2100."
ENGLISH = "01/01/1850 is not a plausible date: the year must be between 1900 and 2100."


@pytest.fixture
def officer(client, locality, desk):
    """The commune clerk, logged in at the commune's desk."""
    account = f.user("mot-cua", roles.DESK_OFFICER)
    clerk = locality["commune_clerk"]
    clerk.user = account
    clerk.save()
    client.force_login(account)
    return client


def send(desk, locality, issued_on: str, **headers: str):
    token = desks.new_desk_secret(desk, "api_token_hash")
    data = {
        "dossier_code": "000.00.21.H13-260310-0001",
        "procedure": "Đăng ký khai sinh",
        "officer_code": locality["commune_clerk"].code,
        "issued_on": issued_on,
    }
    return Client(enforce_csrf_checks=True).post(
        reverse("scoring_api:receipts"),
        json.dumps(data),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        **headers,
    )


def test_the_api_answers_400_for_a_receipt_of_1850_and_makes_none(desk, locality):
    response = send(desk, locality, "1850-01-01")

    assert response.status_code == 400
    assert response.json() == {"errors": {"issued_on": [VIETNAMESE]}}
    assert not Receipt.objects.exists()


def test_the_api_answers_in_english_when_english_is_chosen(desk, locality):
    response = send(desk, locality, "1850-01-01", HTTP_COOKIE="django_language=en")

    assert response.status_code == 400
    assert response.json() == {"errors": {"issued_on": [ENGLISH]}}


def test_the_api_accepts_a_receipt_of_the_first_day_of_1900(desk, locality):
    response = send(desk, locality, "1900-01-01")

    assert response.status_code == 201, response.json()
    assert Receipt.objects.get().issued_on.isoformat() == "1900-01-01"


def test_the_desk_form_refuses_a_receipt_of_1850_and_makes_none(officer, locality, desk):
    response = officer.post(
        reverse("receipts:add"),
        {
            "desk": desk.pk,
            "dossier_code": "H26.03-0042",
            "procedure": "Chứng thực bản sao từ bản chính",
            "officer": locality["commune_clerk"].pk,
            "issued_on": "1850-01-01",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"issued_on": [VIETNAMESE]}
    assert VIETNAMESE in response.content.decode()
    assert not Receipt.objects.exists()
