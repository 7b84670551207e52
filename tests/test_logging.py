"""Logs an operator can act on: a request id on every line and every answer, carried into
the background jobs a request starts, one access line per request, JSON lines in
production, and error reports to Sentry only when a DSN is set."""

import json
import logging
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django_tasks_db.models import DBTaskResult

from portal import urls as portal_urls
from portal.logging import JsonFormatter, RequestIdFilter, TextFormatter, tag_request_id
from portal.settings.env import env_choice
from scoring.jobs import runner
from scoring.lib import request_id
from tests import factories as f
from tests.jobs import job_of
from tests.scoring.jobs import kinds

ROOT = Path(__file__).resolve().parent.parent
HEX_ID = re.compile(r"^[0-9a-f]{32}$")
SECRET_KEY = "k" * 10 + "x9Q!zL#2vB7m" * 5


def start_a_count(request):
    """A page that starts a background job, as the admin's confirmation forms do."""
    job = runner.start(kinds.COUNT, None, {"rows": 2, "group": "started-by-a-page"})
    return HttpResponse(str(job.pk))


urlpatterns = [path("test-start-job/", start_a_count), *portal_urls.urlpatterns]


@pytest.fixture
def records(caplog):
    """The log records of the test, each given its request id by the portal's filter."""
    caplog.set_level(logging.INFO)
    caplog.handler.addFilter(RequestIdFilter())
    return caplog


def lines_of(caplog, logger: str) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == logger]


# --- The request id ----------------------------------------------------------------------


@pytest.mark.django_db
def test_each_answer_names_a_fresh_request_id(client):
    first, second = client.get("/"), client.get("/")
    assert HEX_ID.match(first["X-Request-ID"]) and HEX_ID.match(second["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert request_id.current() == "", "the id ends with its request"


@pytest.mark.django_db
def test_a_trusted_proxys_request_id_is_kept(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.0/8"]
    response = client.get("/", HTTP_X_REQUEST_ID="lb-7f3a.42_X")
    assert response["X-Request-ID"] == "lb-7f3a.42_X"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("proxies", "given"),
    [
        ([], "chosen-by-the-client"),
        (["10.0.0.0/8"], "chosen-by-the-client"),
        (["127.0.0.1"], "two\nlines"),
        (["127.0.0.1"], "x" * 65),
        (["127.0.0.1"], '"quoted"'),
    ],
    ids=["no-proxy", "untrusted-peer", "newline", "too-long", "quotes"],
)
def test_any_other_request_id_is_replaced_by_a_fresh_one(client, settings, proxies, given):
    settings.TRUSTED_PROXIES = proxies
    response = client.get("/", HTTP_X_REQUEST_ID=given)
    assert HEX_ID.match(response["X-Request-ID"])


# --- The access line ---------------------------------------------------------------------


@pytest.mark.django_db
def test_one_access_line_per_request_with_its_facts(client, records):
    response = client.get("/khong-co-trang-nay/?q=private")
    (line,) = lines_of(records, "portal.access")
    assert line.levelno == logging.INFO
    assert (line.method, line.path, line.status) == ("GET", "/khong-co-trang-nay/", 404)
    assert isinstance(line.duration_ms, float) and line.duration_ms >= 0
    assert line.user_id is None
    assert line.request_id == response["X-Request-ID"]
    assert "private" not in line.getMessage()


@pytest.mark.django_db
def test_the_access_line_names_the_signed_in_user(client, records):
    office = f.user("noivu", superuser=True)
    client.force_login(office)
    response = client.get(reverse("scoring_jobs"))
    assert response.status_code == 200
    (line,) = lines_of(records, "portal.access")
    assert line.user_id == office.pk and line.status == 200


@pytest.mark.django_db
def test_a_rating_code_never_reaches_the_access_line(client, records):
    client.get("/rate/MA-BI-MAT-123/")
    (line,) = lines_of(records, "portal.access")
    assert line.path == "/rate/***/"
    assert "MA-BI-MAT-123" not in line.getMessage()


@pytest.mark.django_db
def test_the_access_line_of_a_cached_answer_looks_up_no_one(client, records):
    """The public cache answers before the session is read: the access line does not
    read it either (no session or user query) and names no user."""
    client.force_login(f.user("noivu", superuser=True))
    client.get("/api/v1/periods/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/periods/")
    line = lines_of(records, "portal.access")[-1]
    assert line.status == 200 and line.user_id is None
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert "django_session" not in tables and "auth_user" not in tables


# --- Background jobs ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_job_started_by_a_request_logs_under_that_requests_id(
    client, settings, locality, jobs_run, records
):
    """The month is opened by a job that runs once the request has ended (its callbacks
    run after the response here): its lines still carry the request's id."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    # A superuser: this module's transactional test flushes the role groups away.
    client.force_login(f.user("noivu", superuser=True))
    with jobs_run():
        response = client.post(
            reverse("periods:add"), {"month": "2026-03"}, HTTP_X_REQUEST_ID="from-the-lb-1"
        )
    assert job_of(response).state == "succeeded"
    job_lines = lines_of(records, "scoring.jobs.runner")
    assert [line.getMessage().split(" ", 4)[-1] for line in job_lines] == [
        "started, attempt 1",
        "ended: succeeded",
    ]
    assert {line.request_id for line in job_lines} == {"from-the-lb-1"}
    assert request_id.current() == ""


@pytest.mark.django_db
def test_a_job_started_outside_a_request_gets_an_id_of_its_own(
    django_capture_on_commit_callbacks, records
):
    with django_capture_on_commit_callbacks(execute=True):
        runner.start(kinds.FLAKY, f.user("nguoi-yeu-cau"))
    job_lines = lines_of(records, "scoring.jobs.runner")
    assert len(job_lines) == 3  # started, the failure with its traceback, ended
    (one_id,) = {line.request_id for line in job_lines}
    assert HEX_ID.match(one_id)
    assert job_lines[1].exc_info is not None


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
def test_the_worker_logs_a_job_under_the_id_of_the_request_that_started_it(
    client, settings, records, worker
):
    """Through the database queue and the real ``db_worker``, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = client.get("/test-start-job/")
    asked_by = response["X-Request-ID"]
    job = runner.Job.objects.get(pk=int(response.content))
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.args_kwargs["kwargs"] == {"request_id": asked_by}

    worker()

    job.refresh_from_db()
    assert job.state == "succeeded"
    job_lines = lines_of(records, "scoring.jobs.runner")
    assert len(job_lines) == 2
    assert {line.request_id for line in job_lines} == {asked_by}


# --- Formats -----------------------------------------------------------------------------


def record(message: str, *args, **extra) -> logging.LogRecord:
    made = logging.makeLogRecord(
        {"name": "scoring.cycle", "levelno": logging.WARNING, "levelname": "WARNING"}
    )
    made.msg, made.args = message, args
    made.__dict__.update(extra)
    return made


def test_json_lines_carry_time_level_logger_message_request_id_and_extras():
    line = record("Đã mở tháng %s", "03/2026", unit="UBND-X", request=object())
    with request_id.bound("abc123"):
        RequestIdFilter().filter(line)
    text = JsonFormatter().format(line)
    assert "\n" not in text
    fields = json.loads(text)
    assert fields["message"] == "Đã mở tháng 03/2026"  # Vietnamese kept readable
    assert (fields["level"], fields["logger"]) == ("WARNING", "scoring.cycle")
    assert fields["request_id"] == "abc123" and fields["unit"] == "UBND-X"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", fields["time"])
    assert "request" not in fields, "Django's request object is no log field"


def test_a_json_line_holds_its_traceback_and_null_outside_a_request():
    try:
        raise ValueError("boom")
    except ValueError:
        line = record("failed", exc_info=sys.exc_info())
    fields = json.loads(JsonFormatter().format(line))
    assert fields["request_id"] is None
    assert "ValueError: boom" in fields["exception"]


def test_text_lines_name_the_request_id_or_a_dash():
    outside = record("plain")
    RequestIdFilter().filter(outside)
    assert "[-] plain" in TextFormatter().format(outside)
    inside = record("plain")
    with request_id.bound("abc123"):
        RequestIdFilter().filter(inside)
    assert "[abc123] plain" in TextFormatter().format(inside)


def test_a_log_format_or_level_that_does_not_exist_is_refused(monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(ImproperlyConfigured):
        env_choice("LOG_FORMAT", ("text", "json"), "text")
    monkeypatch.setenv("LOG_FORMAT", "JSON")
    assert env_choice("LOG_FORMAT", ("text", "json"), "text") == "json"


# --- Production: JSON lines, and Sentry only with a DSN ------------------------------------

PROBE = textwrap.dedent(
    """
    import json, logging, sys
    import django
    django.setup()
    from scoring.lib import request_id
    with request_id.bound("probe-1"):
        logging.getLogger("scoring.probe").warning("xin chào", extra={"unit": "X"})
    report = {"sentry_imported": "sentry_sdk" in sys.modules}
    if report["sentry_imported"]:
        import sentry_sdk
        client = sentry_sdk.get_client()
        report["active"] = client.is_active()
        report["options"] = {
            name: client.options[name]
            for name in ("environment", "release", "send_default_pii", "include_local_variables")
        }
        with request_id.bound("probe-2"):
            hook = client.options["before_send"]
            report["tags"] = hook({"message": "x"}, {}).get("tags")
    print(json.dumps(report))
    """
)


def run_production(**env) -> tuple[dict, list[str]]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SENTRY_", "LOG_")) and name != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production", SECRET_KEY=SECRET_KEY, **env
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr.splitlines()


def test_production_writes_json_lines_and_never_loads_sentry_without_a_dsn():
    report, stderr = run_production()
    assert report == {"sentry_imported": False}
    fields = json.loads(stderr[-1])
    assert fields["message"] == "xin chào" and fields["request_id"] == "probe-1"
    assert fields["unit"] == "X" and fields["logger"] == "scoring.probe"


def test_production_writes_text_lines_when_asked():
    _report, stderr = run_production(LOG_FORMAT="text")
    assert re.search(r" WARNING scoring\.probe \[probe-1\] xin chào$", stderr[-1])


def test_with_a_dsn_sentry_starts_without_personal_data_and_tags_the_request_id():
    report, _stderr = run_production(
        SENTRY_DSN="http://key@127.0.0.1:9/1",
        SENTRY_ENVIRONMENT="staging",
        SENTRY_RELEASE="portal@1.2.3",
    )
    assert report["sentry_imported"] and report["active"]
    assert report["options"] == {
        "environment": "staging",
        "release": "portal@1.2.3",
        "send_default_pii": False,
        "include_local_variables": False,
    }
    assert report["tags"] == {"request_id": "probe-2"}


def test_an_event_outside_a_request_gets_no_request_id_tag():
    assert "tags" not in tag_request_id({"message": "x"})
