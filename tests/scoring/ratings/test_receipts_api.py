"""The receipt API a dossier system calls: token, idempotency, errors as JSON."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from scoring.models import Receipt, ServiceDesk
from scoring.ratings import desks
from scoring.ratings import receipts as receipt_service

pytestmark = pytest.mark.django_db

URL = reverse("scoring_api:receipts")
FIELDS = {"dossier_code", "rating_url", "short_code", "expires_at"}


@pytest.fixture
def token(desk):
    return desks.new_desk_secret(desk, "api_token_hash")


@pytest.fixture
def api():
    """A client that, like a dossier system, has no session and no CSRF cookie."""
    return Client(enforce_csrf_checks=True)


def body(locality, **changes):
    data = {
        "dossier_code": "000.00.21.H13-260310-0001",
        "procedure": "Đăng ký khai sinh",
        "officer_code": locality["commune_clerk"].code,
        "issued_on": "2026-03-10",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def post(api, data, token=None, raw=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    content = raw if raw is not None else json.dumps(data)
    return api.post(URL, content, content_type="application/json", **headers)


def test_a_receipt_is_created_then_returned_again_for_the_same_dossier(api, token, desk, locality):
    first = post(api, body(locality), token)

    assert first.status_code == 201, first.content
    data = first.json()
    assert set(data) == FIELDS
    receipt = Receipt.objects.get()
    assert (receipt.desk, receipt.officer) == (desk, locality["commune_clerk"])
    assert receipt.issued_on == datetime.date(2026, 3, 10)
    assert data["dossier_code"] == "000.00.21.H13-260310-0001"
    assert data["rating_url"].startswith("http://testserver/")
    assert data["rating_url"].endswith(f"/{receipt.token}/")
    assert data["short_code"] == receipt_service.format_short_code(receipt.short_code)
    assert datetime.datetime.fromisoformat(data["expires_at"]) == receipt.expires_at

    again = post(api, body(locality, procedure="Khai sinh"), token)
    assert again.status_code == 200
    assert again.json() == data
    assert Receipt.objects.count() == 1


def test_the_date_defaults_to_today(api, token, locality):
    response = post(api, body(locality, issued_on=None), token)
    assert response.status_code == 201
    assert Receipt.objects.get().issued_on == timezone.localdate()


def test_a_number_is_accepted_as_a_dossier_code(api, token, locality):
    response = post(api, body(locality, dossier_code=260310001), token)
    assert response.status_code == 201
    assert Receipt.objects.get().dossier_code == "260310001"


@pytest.mark.parametrize(
    "header",
    [None, "Bearer not-the-token", "Token {token}", "Bearer", "bearer {token}x"],
    ids=["missing", "wrong", "other scheme", "empty", "altered"],
)
def test_a_missing_or_wrong_token_is_refused(api, token, locality, header):
    headers = {"HTTP_AUTHORIZATION": header.format(token=token)} if header else {}
    response = api.post(URL, json.dumps(body(locality)), content_type="application/json", **headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert set(response.json()) == {"errors"}
    assert not Receipt.objects.exists()


def test_the_kiosk_secret_is_not_an_api_token(api, desk, locality):
    kiosk = desks.new_desk_secret(desk, "kiosk_secret_hash")
    assert post(api, body(locality), kiosk).status_code == 401


def test_an_inactive_desk_cannot_send_receipts(api, token, desk, locality):
    ServiceDesk.objects.filter(pk=desk.pk).update(active=False)
    assert post(api, body(locality), token).status_code == 401


def test_the_token_chooses_the_desk(api, token, desk, locality):
    other = ServiceDesk.objects.create(unit=locality["district"], code="qb", name="Quản Bạ")
    other.officers.set([locality["commune_clerk"]])
    other.save()
    other_token = desks.new_desk_secret(other, "api_token_hash")

    assert post(api, body(locality), token).status_code == 201
    assert post(api, body(locality), other_token).status_code == 201
    assert sorted(Receipt.objects.values_list("desk__code", flat=True)) == ["mot-cua-qt", "qb"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"officer_code": "KHONG-CO"}, "officer_code"),
        ({"officer_code": "__outsider__"}, "officer_code"),
        ({"dossier_code": None}, "dossier_code"),
        ({"procedure": ""}, "procedure"),
        ({"officer_code": None}, "officer_code"),
        ({"issued_on": "10/03/2026"}, "issued_on"),
        ({"issued_on": "2026-02-30"}, "issued_on"),
        ({"issued_on": "2999-01-01"}, "issued_on"),
        ({"procedure": ["Khai sinh"]}, "procedure"),
    ],
    ids=[
        "unknown officer",
        "officer not at this desk",
        "missing dossier code",
        "empty procedure",
        "missing officer",
        "date not ISO",
        "no such day",
        "future date",
        "list instead of text",
    ],
)
def test_bad_fields_are_answered_with_their_errors(api, token, locality, changes, field):
    if changes.get("officer_code") == "__outsider__":
        changes = {"officer_code": locality["agency_specialist"].code}

    response = post(api, body(locality, **changes), token)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert all(isinstance(message, str) and message for message in errors[field])
    assert not Receipt.objects.exists()


def test_every_missing_field_is_reported_at_once(api, token):
    response = post(api, {}, token)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"dossier_code", "procedure", "officer_code"}


@pytest.mark.parametrize("raw", ["not json", "[1, 2]", ""], ids=["text", "array", "empty"])
def test_a_body_that_is_not_a_json_object_is_refused(api, token, raw):
    response = post(api, None, token, raw=raw)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["non_field_errors"]


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_other_methods_are_not_allowed(api, token, method):
    response = getattr(api, method)(URL, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "errors" in response.json()
