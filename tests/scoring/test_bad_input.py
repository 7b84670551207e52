"""Bad input never hurts: each case a fuzzing pass found, answered with a clear refusal."""

import csv
import io
import json

import pytest
import tablib
from django.test import Client
from django.urls import reverse

from scoring.access import roles
from scoring.lib.spreadsheets import export_file, is_clean, neutralise, read_dataset, run_import
from scoring.models import Receipt, Unit
from scoring.organisation.resources import UnitResource
from scoring.ratings import desks
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_post(desk, locality):
    token = desks.new_desk_secret(desk, "api_token_hash")

    def post(raw: str):
        return Client().post(
            reverse("scoring_api:receipts"),
            raw,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    post.officer = locality["commune_clerk"].code
    return post


@pytest.mark.parametrize("issued_on", [20260310, ["2026-03-10"], True, {"d": 1}, 2026.03])
def test_the_receipt_api_answers_400_to_a_date_that_is_not_text(api_post, issued_on):
    body = {"dossier_code": "H1", "procedure": "Khai sinh", "officer_code": api_post.officer}
    response = api_post(json.dumps({**body, "issued_on": issued_on}))
    assert response.status_code == 400
    assert response.json()["errors"]["issued_on"]
    assert not Receipt.objects.exists()


def test_the_receipt_api_answers_400_to_a_deeply_nested_body(api_post):
    response = api_post("[" * 100_000 + "]" * 100_000)
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"]


def test_the_receipt_api_refuses_a_year_outside_1900_to_2100(api_post):
    body = {"dossier_code": "H1", "procedure": "Khai sinh", "officer_code": api_post.officer}
    response = api_post(json.dumps({**body, "issued_on": "1899-12-31"}))
    assert response.status_code == 400 and "1900" in response.json()["errors"]["issued_on"][0]


def test_a_nul_byte_in_a_search_box_is_refused_not_a_crash(client, locality):
    client.force_login(f.user("noivu", roles.HOME_AFFAIRS))
    response = client.get(reverse("scoring_queue"), {"q": "a\x00b"})
    assert response.status_code == 400
    assert "ký tự" in response.content.decode()


def test_a_nul_byte_in_a_posted_comment_is_refused(client, locality):
    client.force_login(f.user("noivu", roles.HOME_AFFAIRS))
    response = client.post(reverse("scoring_queue"), {"comment": "Trả lại\x00"})
    assert response.status_code == 400


def test_an_imported_date_outside_1900_to_2100_is_refused(locality):
    resource = UnitResource()
    rows = tablib.Dataset(headers=resource.columns)
    rows.append(["U-NEW", "Xã Mới", "commune", locality["district"].code, "01/01/0202", ""])
    result = run_import(resource, rows, dry_run=False)
    assert not is_clean(result)
    assert "1900" in " ".join(problem.message for problem in resource.problems(result))
    assert not Unit.objects.filter(code="U-NEW").exists()


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_would_run_as_a_formula_is_neutralised(start):
    assert neutralise(f"{start}HYPERLINK(1)") == f"'{start}HYPERLINK(1)"
    assert neutralise("Xã Quyết Tiến") == "Xã Quyết Tiến"


def test_exports_neutralise_formulas_and_read_back_unchanged(locality):
    Unit.objects.filter(pk=locality["commune"].pk).update(name='=HYPERLINK("http://x")')
    content = export_file(UnitResource(), "csv")
    names = [row["Tên đơn vị"] for row in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))]
    assert '\'=HYPERLINK("http://x")' in names
    again = read_dataset(content, "don-vi.csv")
    assert '\'=HYPERLINK("http://x")' in again["Tên đơn vị"]  # as written in the file
    result = run_import(UnitResource(), again, dry_run=True)
    assert is_clean(result) and result.totals["update"] == 0


def test_the_admins_list_exports_neutralise_formulas(client, locality):
    Unit.objects.filter(pk=locality["commune"].pk).update(name="=1+2")
    client.force_login(f.user("admin", superuser=True))
    response = client.get(reverse("units:index"), {"export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=1+2" in body and "\n=1+2" not in body and ",=1+2" not in body
