"""Open data under /api/v1/: only released months can be read, as JSON or CSV, with
suppressed figures null, from any origin, revalidated with ETag or Last-Modified, and
described field by field by the OpenAPI document."""

from __future__ import annotations

import csv
import datetime
import io

import jsonschema_rs
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date
from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

from home.opendata.fields import PERIOD_FIELDS, RELEASE_FIELDS, UNIT_FIELDS
from scoring.models import Release
from scoring.publishing import public, releases
from tests.home import opendata_data as data

pytestmark = pytest.mark.django_db
PERIODS = "/api/v1/periods/"
NOT_FOUND_VI = "Không có tháng hay lần công bố nào đã được công bố tại địa chỉ này."


def units_url(key: str) -> str:
    return f"/api/v1/periods/{key}/units/"


@pytest.fixture
def office(db):
    return data.officers()


@pytest.fixture
def march(locality, office):
    """March 2026 of the seed locality, locked and released once."""
    period = data.locked_month(2026, 3)
    data.release(period, *office)
    return period


@pytest.fixture
def may(office):
    """May 2026 written directly: a ward of 12 people and a commune whose figures are hidden."""
    rows = [data.unit_row(1), data.unit_row(2, small=True)]
    return data.written_release(2026, 5, rows, *office)


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_an_unreleased_month_is_absent_and_every_address_of_it_answers_the_same_404(
    client, march, office
):
    april = data.locked_month(2026, 4)
    releases.prepare(april, office[0], timezone.now())  # prepared, never approved
    listed = client.get(PERIODS).json()["periods"]
    assert [row["period"] for row in listed] == ["2026-03"]
    never = client.get(units_url("2031-01"))
    assert never.status_code == 404 and never.json() == {"detail": NOT_FOUND_VI}
    guessed = [
        units_url("2026-04"),
        units_url("2026-04") + "?format=csv",
        units_url("2026-04") + "?release=1",
        units_url("2026-03") + "?release=2",
        units_url("2026-03") + "?release=0",
        units_url("2026-03") + "?release=-1",
        units_url("2026-03") + "?release=abc",
        units_url("2026-03") + "?release=1&format=csv&release=9",
        units_url("2026-13"),
        units_url("2026-3"),
        units_url("march"),
    ]
    for url in guessed:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json"
        assert response.content == never.content, url
    assert "2026-04" not in client.get(PERIODS + "?format=csv").content.decode()


def test_a_scheduled_release_is_hidden_before_its_time_and_readable_after(client, locality, office):
    period = data.locked_month(2026, 3)
    made = data.release(period, *office, at=timezone.now() + datetime.timedelta(hours=2))
    assert client.get(PERIODS).json()["periods"] == []
    assert client.get(units_url("2026-03")).status_code == 404
    assert client.get(units_url("2026-03") + "?format=csv").status_code == 404
    Release.objects.filter(pk=made.pk).update(
        scheduled_for=timezone.now() - datetime.timedelta(minutes=1)
    )
    public.changed()  # what the version's timeout does when the time comes
    [row] = client.get(PERIODS).json()["periods"]
    assert row["period"] == "2026-03" and row["release"] == 1
    assert client.get(units_url("2026-03")).status_code == 200


def test_a_correction_lists_its_earlier_release_which_still_answers(client, march, office):
    data.release(march, office[1], office[0], note="Sửa số liệu Phòng Nội vụ")
    [row] = client.get(PERIODS).json()["periods"]
    assert row["release"] == 2 and row["is_correction"] is True
    assert row["correction_note"] == "Sửa số liệu Phòng Nội vụ"
    assert row["earlier_releases"] == [1]
    assert row["url"] == "http://testserver" + units_url("2026-03")
    latest = client.get(units_url("2026-03")).json()
    assert (latest["release"], latest["earlier_releases"]) == (2, [1])
    first = client.get(units_url("2026-03") + "?release=1")
    assert first.status_code == 200
    body = first.json()
    assert body["release"] == 1 and body["is_correction"] is False and body["correction_note"] == ""
    assert body["earlier_releases"] == []
    csv_first = client.get(units_url("2026-03") + "?release=1&format=csv")
    assert 'filename="units-2026-03-release-1.csv"' in csv_first["Content-Disposition"]
    assert client.get(units_url("2026-03") + "?release=3").status_code == 404


def test_the_seed_localitys_small_units_are_null_in_json_and_empty_in_csv(client, march):
    body = client.get(units_url("2026-03")).json()
    assert body["units"] and all(unit["classified"] is None for unit in body["units"])
    assert all(unit["excellent_count"] is None for unit in body["units"])
    assert body["suppression"]["minimum"] == 10
    assert "10" in body["suppression"]["rule"]["vi"] and "10" in body["suppression"]["rule"]["en"]
    header, *rows = read_csv(client.get(units_url("2026-03") + "?format=csv"))
    column = header.index("classified")
    assert rows and all(row[column] == "" for row in rows)


def test_suppressed_figures_are_null_and_shown_ones_are_numbers(client, may):
    body = client.get(units_url("2026-05")).json()
    shown, hidden = body["units"]
    assert shown["classified"] == 12 and shown["excellent_count"] == 2
    assert shown["excellent_share"] == 16.7 and shown["mean"] == 86.25
    assert shown["completion_count"] is None and shown["failure_share"] is None
    assert hidden["classified"] is None and hidden["good_count"] is None
    assert hidden["ratings"] is None and hidden["satisfaction"] is None
    assert hidden["receipts"] == 5
    header, shown_row, hidden_row = read_csv(client.get(units_url("2026-05") + "?format=csv"))
    cell = dict(zip(header, hidden_row, strict=True))
    assert cell["classified"] == cell["good_count"] == cell["satisfaction"] == ""
    assert cell["receipts"] == "5" and cell["submitted"] == "true"
    assert dict(zip(header, shown_row, strict=True))["excellent_share"] == "16.7"


def test_the_csv_has_a_bom_the_field_names_and_vietnamese_names_intact(client, may):
    response = client.get(units_url("2026-05") + "?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="units-2026-05.csv"'
    assert response.content.startswith("\ufeff".encode())
    header, *rows = read_csv(response)
    assert header == [field.name for field in UNIT_FIELDS]
    assert [row[1] for row in rows] == ["Phường Đồng Văn 1", "Xã Lũng Cú 2"]
    periods = client.get(PERIODS + "?format=csv")
    assert periods.content.startswith("\ufeff".encode())
    assert read_csv(periods)[0] == [field.name for field in PERIOD_FIELDS]


def test_json_keeps_vietnamese_as_it_is(client, may):
    response = client.get(units_url("2026-05"))
    assert "Phường Đồng Văn 1".encode() in response.content
    assert b"\\u" not in response.content


def test_an_unknown_format_is_a_translated_400(client, may):
    response = client.get(units_url("2026-05") + "?format=xml")
    assert response.status_code == 400
    assert response.json() == {"detail": "Định dạng không được hỗ trợ: chọn “json” hoặc “csv”."}
    assert client.get(PERIODS + "?format=xlsx").status_code == 400
    client.cookies["django_language"] = "en"
    english = client.get(units_url("2026-05") + "?format=xml").json()
    assert english == {"detail": "Unknown format: ask for “json” or “csv”."}
    assert client.get(units_url("2031-01")).json()["detail"].startswith("No released month")


def test_every_answer_may_be_read_from_any_origin(client, may):
    for url in (PERIODS, units_url("2026-05"), units_url("2031-01"), "/api/v1/openapi.json"):
        response = client.get(url, HTTP_ORIGIN="https://bao.example.vn")
        assert response["Access-Control-Allow-Origin"] == "*", url
        assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        units_url("2026-05"),
        HTTP_ORIGIN="https://bao.example.vn",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert set(preflight["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    refused = client.post(units_url("2026-05"))
    assert refused.status_code == 405 and "GET" in refused["Allow"]
    assert client.head(units_url("2026-05")).status_code == 200


def test_answers_revalidate_with_etag_and_last_modified(client, may):
    url = units_url("2026-05")
    first = client.get(url)
    published = Release.objects.get(pk=may.pk).scheduled_for
    assert first["Last-Modified"] == http_date(published.timestamp())
    stated = datetime.datetime.fromisoformat(first.json()["published_at"])
    assert stated == published and stated.utcoffset() == datetime.timedelta(hours=7)
    cached = client.get(url)  # now from the published-page cache
    assert cached["ETag"] == first["ETag"] and cached["Last-Modified"] == first["Last-Modified"]
    assert cached["Access-Control-Allow-Origin"] == "*"
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    earlier = http_date(published.timestamp() - 3600)
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    cache.clear()  # a cold cache answers the same way
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304 and not_modified["ETag"] == first["ETag"]
    periods = client.get(PERIODS)
    assert periods["Last-Modified"] == first["Last-Modified"]


def test_a_new_release_changes_the_etag(client, march, office):
    url = units_url("2026-03")
    before = client.get(url)["ETag"]
    data.release(march, office[1], office[0], note="Sửa số liệu")
    answer = client.get(url, HTTP_IF_NONE_MATCH=before)
    assert answer.status_code == 200 and answer["ETag"] != before
    assert answer.json()["release"] == 2


def _openapi(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()


def _validator(document: dict, name: str):
    """A JSON Schema validator of one of the document's schemas (OpenAPI 3.1 schemas are
    JSON Schema 2020-12), its references resolved inside the document."""
    return jsonschema_rs.Draft202012Validator(
        {**document, "$ref": f"#/components/schemas/{name}"}, validate_formats=True
    )


def test_the_openapi_document_describes_the_licence_errors_and_every_field(client, may, settings):
    settings.OPEN_DATA_LICENCE = {
        "name": "Creative Commons Attribution 4.0 International",
        "identifier": "CC-BY-4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    document = _openapi(client)
    assert document["openapi"] == "3.1.0"
    # The OpenAPI 3.1 meta-schema (openapi-spec-validator is not installed; schemathesis
    # carries the official schema).
    OPENAPI_31_VALIDATOR.validate(document)
    assert document["info"]["license"] == {
        "name": "Creative Commons Attribution 4.0 International",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    units_op = document["paths"]["/api/v1/periods/{period}/units/"]["get"]
    assert {"200", "400", "404"} <= set(units_op["responses"])
    assert set(units_op["responses"]["200"]["content"]) == {"application/json", "text/csv"}
    assert {"200", "400"} <= set(document["paths"]["/api/v1/periods/"]["get"]["responses"])
    schemas = document["components"]["schemas"]
    for name, fields in (("Unit", UNIT_FIELDS), ("Period", PERIOD_FIELDS)):
        properties = schemas[name]["properties"]
        assert list(properties) == [field.name for field in fields]
        assert all(properties[field.name]["description"] for field in fields)
    assert schemas["Unit"]["properties"]["excellent_count"]["type"] == ["integer", "null"]
    assert schemas["Unit"]["properties"]["code"]["type"] == "string"
    units = client.get(units_url("2026-05")).json()
    periods = client.get(PERIODS).json()
    _validator(document, "UnitList").validate(units)
    _validator(document, "PeriodList").validate(periods)
    _validator(document, "Error").validate(client.get(units_url("2031-01")).json())
    for row in units["units"]:
        assert set(row) == set(schemas["Unit"]["properties"])
    assert set(units) - {"licence", "suppression", "units"} == {f.name for f in RELEASE_FIELDS}
    undocumented = dict(units["units"][0], nickname="x")
    assert not _validator(document, "Unit").is_valid(undocumented)  # the check can fail


def test_the_licence_is_a_setting(client, may, settings):
    settings.OPEN_DATA_LICENCE = {
        "name": "Open Government Licence",
        "identifier": "OGL-UK-3.0",
        "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    }
    assert _openapi(client)["info"]["license"]["name"] == "Open Government Licence"
    assert client.get(PERIODS).json()["licence"]["identifier"] == "OGL-UK-3.0"


def _queries(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_the_number_of_units(client, office):
    data.written_release(2026, 1, [data.unit_row(i) for i in range(2)], *office)
    data.written_release(2026, 2, [data.unit_row(i) for i in range(20)], *office)
    for suffix in ("", "?format=csv"):
        few = _queries(client, units_url("2026-01") + suffix)
        many = _queries(client, units_url("2026-02") + suffix)
        assert few == many <= 3
    assert len(client.get(units_url("2026-02")).json()["units"]) == 20
    assert _queries(client, PERIODS) <= 3
    listed = client.get(PERIODS).json()["periods"]
    assert [row["period"] for row in listed] == ["2026-02", "2026-01"]  # newest first
    assert [row["units_count"] for row in listed] == [20, 2]


def test_the_receipt_api_beside_it_still_answers(client):
    response = client.post("/api/v1/receipts/", "{}", content_type="application/json")
    assert response.status_code == 401


def test_a_release_approved_after_its_time_is_public_from_its_approval(client, locality, office):
    """Else a client holding an older date would be told a new release is not modified."""
    period = data.locked_month(2026, 3)
    made = data.release(period, *office, at=timezone.now() - datetime.timedelta(days=2))
    approved = Release.objects.get(pk=made.pk).approved_at
    response = client.get(units_url("2026-03"))
    assert datetime.datetime.fromisoformat(response.json()["published_at"]) == approved
    assert response["Last-Modified"] == http_date(approved.timestamp())
    yesterday = http_date((approved - datetime.timedelta(days=1)).timestamp())
    assert client.get(units_url("2026-03"), HTTP_IF_MODIFIED_SINCE=yesterday).status_code == 200
