"""schemathesis against /api/v1/openapi.json, in process through the WSGI application:
generated requests to every documented operation, over released months, get no server
error, only documented status codes and content types, and bodies that match the schema.

Deterministic (``derandomize``) and bounded (``max_examples``), so it runs the same in CI
on SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings, strategies
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from scoring.models import Release
from scoring.publishing import public
from tests.home import opendata_data as data

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app(db):
    """The project's WSGI application, sharing the test's connection and transaction:
    as Django's test client does, the request signals do not close the connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def released(db):
    """Two released months: one with a correction (releases 1 and 2), one with a unit
    whose figures are hidden."""
    office = data.officers()
    data.written_release(2026, 4, [data.unit_row(1), data.unit_row(2, small=True)], *office)
    may = data.written_release(2026, 5, [data.unit_row(3)], *office)
    correction = Release.objects.create(
        period=may.period,
        number=2,
        figures=data.figures(2026, 5, [data.unit_row(3), data.unit_row(4)]),
        correction_note="Bổ sung Phường Đồng Văn 4",
        prepared_by=office[1],
        scheduled_for=may.scheduled_for,
        approved_by=office[0],
        approved_at=may.approved_at,
    )
    public.changed()
    return [may, correction]


@pytest.fixture
def api_schema(wsgi_app, released):
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)

    @loaded.hook
    def before_generate_path_parameters(context, strategy):
        # Months drawn from the pattern are nearly never released: mix the released ones
        # (and one that is not) in, so that generated requests read real rows too.
        months = strategies.sampled_from(["2026-04", "2026-05", "2026-06"])
        return strategies.one_of(months.map(lambda month: {"period": month}), strategy)

    return loaded


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_open_data_conforms_to_its_openapi_document(case):
    case.call_and_validate(checks=CHECKS)


@pytest.mark.parametrize(
    "query",
    [{}, {"format": "csv"}, {"release": 1}, {"release": 2}, {"release": 3}, {"format": "pdf"}],
)
def test_a_released_month_conforms_in_every_form(api_schema, query):
    """The released months themselves, which generated months rarely hit."""
    operation = api_schema["/api/v1/periods/{period}/units/"]["GET"]
    for period in ("2026-04", "2026-05", "2031-12"):
        case = operation.Case(path_parameters={"period": period}, query=query)
        case.call_and_validate(checks=CHECKS)
    listing = api_schema["/api/v1/periods/"]["GET"]
    listing.Case(query={"format": query.get("format", "json")}).call_and_validate(checks=CHECKS)
