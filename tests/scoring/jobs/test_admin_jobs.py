"""The admin's month operations and exports run as background jobs and report on its page."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from scoring.access import roles
from scoring.cycle import periods
from scoring.models import Evaluation, Job, Period
from tests import factories as f
from tests.jobs import content_of, download, job_of, page_of

pytestmark = pytest.mark.django_db


def vi(message: str) -> str:
    with translation.override("vi"):
        return translation.gettext(message)


@pytest.fixture
def office(client):
    client.force_login(f.user("noivu", roles.HOME_AFFAIRS))
    return client


def test_opening_a_month_runs_as_a_job_whose_page_says_what_it_did(office, locality, jobs_run):
    with jobs_run():
        response = office.post(reverse("periods:add"), {"month": "2026-03"})

    job = job_of(response)
    assert job.kind == "open_period" and job.state == Job.State.SUCCEEDED
    assert job.requested_by.username == "noivu"
    assert job.title == vi("Open month %(month)02d/%(year)d") % {"month": 3, "year": 2026}
    assert Evaluation.objects.filter(period__year=2026, period__month=3).count() == 12
    body = page_of(office, response)
    assert "12" in body and "03/2026" in body
    assert (job.done, job.total) == (1, 1)


def test_nothing_happens_before_the_request_commits(
    office, locality, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = office.post(reverse("periods:add"), {"month": "2026-03"})
    assert job_of(response).state == Job.State.QUEUED
    assert not Period.objects.exists() and len(callbacks) == 1
    assert '<meta http-equiv="refresh"' in page_of(office, response)


def test_closing_a_month_runs_as_a_job(office, locality, jobs_run):
    march = periods.open_period(2026, 3).period
    with jobs_run():
        response = office.post(reverse("periods:close", args=[march.pk]), {"exception": "kiểm thử"})
    assert job_of(response).state == Job.State.SUCCEEDED
    march.refresh_from_db()
    assert march.is_closed
    assert "12" in page_of(office, response)


def test_reminders_are_sent_by_a_job_from_the_periods_page(office, locality, jobs_run, mailoutbox):
    march = periods.open_period(2026, 3).period
    periods.advance_period(march, Period.State.SELF_SCORING)
    clerk = locality["commune_clerk"]
    clerk.user = f.user("thu-ky")
    clerk.user.email = "thuky@example.vn"
    clerk.user.save()
    clerk.save()
    assert reverse("periods:remind") in office.get(reverse("periods:index")).content.decode()
    form = office.get(reverse("periods:remind"))
    assert form.status_code == 200

    with jobs_run():
        response = office.post(
            reverse("periods:remind"),
            {"days": 2, "job_key": form.context["form"].initial["job_key"]},
        )

    job = job_of(response)
    today = timezone.localdate()
    assert job.state == Job.State.SUCCEEDED
    assert job.payload == {"today": today.isoformat(), "days": 2}
    assert job.outcome["sent"] == 1 and [m.to for m in mailoutbox] == [["thuky@example.vn"]]
    assert f"{today:%d/%m/%Y}" in page_of(office, response)


def test_a_plain_staff_member_cannot_send_reminders(client, locality):
    client.force_login(f.user("canbo", roles.STAFF_MEMBER))
    response = client.post(reverse("periods:remind"), {"days": 2})
    assert response.status_code in (302, 403) and not Job.objects.exists()


def test_an_export_runs_as_a_job_and_offers_its_file(office, locality, jobs_run):
    with jobs_run():
        response = office.get(reverse("scoring_imports:export_staff"))

    job = job_of(response)
    assert job.kind == "export_sheet" and job.state == Job.State.SUCCEEDED
    assert job.file.name.endswith(".xlsx")
    file = download(office, response)
    assert file["Content-Disposition"].startswith('attachment; filename="can-bo-')
    sheet = openpyxl.load_workbook(io.BytesIO(content_of(file))).active
    assert sheet.max_row > 1
