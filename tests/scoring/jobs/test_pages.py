"""The admin's job pages: the list, a job's page in both languages, retry and download."""

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import translation

from scoring.jobs import runner
from scoring.jobs.models import Job
from tests import factories as f
from tests.scoring.jobs import kinds

pytestmark = pytest.mark.django_db

JOBS = reverse("scoring_jobs")


def page(job: Job) -> str:
    return reverse("scoring_job", args=[job.pk])


def vi(message: str) -> str:
    with translation.override("vi"):
        return translation.gettext(message)


@pytest.fixture
def admin_user(db):
    """Someone who may use the admin (any role group gives access; a plain account does not)."""
    from scoring.access import roles

    return f.user("noivu", roles.HOME_AFFAIRS)


@pytest.fixture
def office(client, admin_user):
    client.force_login(admin_user)
    return client


def finished(django_capture_on_commit_callbacks, kind: str, user, payload=None) -> Job:
    with django_capture_on_commit_callbacks(execute=True):
        job = runner.start(kind, user, payload or {})
    job.refresh_from_db()
    return job


def running_job(user, done: int, total: int) -> Job:
    job = Job.objects.create(
        kind=kinds.COUNT, title="Nhập 20.000 dòng", requested_by=user, state=Job.State.RUNNING
    )
    caches["jobs"].set(f"job-progress:{job.pk}", (done, total))
    return job


def test_a_running_job_shows_its_progress_and_refreshes_itself(office, admin_user):
    job = running_job(admin_user, 1234, 20000)
    response = office.get(page(job))
    body = response.content.decode()
    assert response.status_code == 200
    assert "1.234 / 20.000" in body
    assert 'max="20000" value="1234"' in body
    assert '<meta http-equiv="refresh" content="2">' in body
    assert vi("running") in body


def test_the_job_page_reads_in_english_too(office, admin_user):
    job = running_job(admin_user, 1234, 20000)
    office.cookies["django_language"] = "en"
    body = office.get(page(job)).content.decode()
    assert "1,234 / 20,000" in body
    assert "The job is running." in body


def test_a_queued_job_waits_with_an_indeterminate_bar(office, admin_user):
    job = Job.objects.create(kind=kinds.COUNT, title="q", requested_by=admin_user)
    body = office.get(page(job)).content.decode()
    assert '<progress aria-label="' in body and "http-equiv" in body
    assert vi("The job is waiting for a background worker. This page refreshes itself.") in body


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_finished_job_shows_its_outcome_without_refreshing(
    django_capture_on_commit_callbacks, office, admin_user, language
):
    job = finished(django_capture_on_commit_callbacks, kinds.COUNT, admin_user, {"rows": 3})
    office.cookies["django_language"] = language
    body = office.get(page(job)).content.decode()
    with translation.override(language):
        assert translation.gettext("The file is ready.") in body  # the kind's result template
        assert translation.gettext("done") in body
    assert "http-equiv" not in body
    assert "3 / 3" in body


def test_a_refused_job_lists_its_problems(django_capture_on_commit_callbacks, office, admin_user):
    job = finished(django_capture_on_commit_callbacks, kinds.REFUSE, admin_user)
    body = office.get(page(job)).content.decode()
    assert "The file has bad rows." in body
    assert "Mã cán bộ" in body and "Too many columns." in body
    assert reverse("scoring_job_retry", args=[job.pk]) not in body


def test_a_failed_job_offers_its_requester_a_retry(
    django_capture_on_commit_callbacks, office, admin_user
):
    job = finished(django_capture_on_commit_callbacks, kinds.FLAKY, admin_user)
    body = office.get(page(job)).content.decode()
    assert vi(str(runner.FAILURE_MESSAGE)) in body
    assert "secret" not in body
    retry = reverse("scoring_job_retry", args=[job.pk])
    assert retry in body

    assert office.get(retry).status_code == 405  # a retry is a POST
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(retry)
    assert response.status_code == 302 and response["Location"] == page(job)
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and job.attempts == 2


def test_another_users_job_answers_404(django_capture_on_commit_callbacks, client, admin_user):
    from scoring.access import roles

    job = finished(django_capture_on_commit_callbacks, kinds.FLAKY, admin_user)
    made = finished(django_capture_on_commit_callbacks, kinds.FILE, admin_user)
    client.force_login(f.user("canbo", roles.STAFF_MEMBER))
    assert client.get(page(job)).status_code == 404
    assert client.post(reverse("scoring_job_retry", args=[job.pk])).status_code == 404
    assert client.get(reverse("scoring_job_file", args=[made.pk])).status_code == 404
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.title not in client.get(JOBS).content.decode()


def test_a_superuser_sees_every_job_but_the_file_stays_the_requesters(
    django_capture_on_commit_callbacks, client, admin_user
):
    made = finished(django_capture_on_commit_callbacks, kinds.FILE, admin_user)
    client.force_login(f.user("admin", superuser=True))
    assert client.get(page(made)).status_code == 200
    assert made.title in client.get(JOBS).content.decode()
    assert client.get(reverse("scoring_job_file", args=[made.pk])).status_code == 404


def test_the_requester_downloads_the_file(django_capture_on_commit_callbacks, office, admin_user):
    made = finished(django_capture_on_commit_callbacks, kinds.FILE, admin_user)
    assert made.file.name.startswith("jobs/") and len(made.file.name.split("/")[1]) >= 32
    body = office.get(page(made)).content.decode()
    url = reverse("scoring_job_file", args=[made.pk])
    assert url in body
    response = office.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="report.csv"'
    assert b"".join(response.streaming_content) == b"a,b\n1,2\n"


def test_the_list_shows_ones_own_jobs_in_a_fixed_number_of_queries(
    django_assert_max_num_queries, office, admin_user
):
    other = f.user("nguoi-khac")
    Job.objects.create(kind=kinds.COUNT, title="someone else's", requested_by=other)

    def make(count: int) -> None:
        for number in range(count):
            running_job(admin_user, number, 100)
            Job.objects.create(
                kind=kinds.REFUSE, title=f"refused {number}", requested_by=admin_user
            )

    make(2)
    office.get(JOBS)  # warm up what every admin page loads once
    with django_assert_max_num_queries(15) as few:
        response = office.get(JOBS)
    make(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = office.get(JOBS)
    body = response.content.decode()
    assert response.status_code == 200
    assert "someone else's" not in body
    assert "19 / 100" in body
    assert len(response.context["rows"]) == 44


def test_the_jobs_menu_item_is_in_the_admin(office):
    body = office.get(reverse("wagtailadmin_home")).content.decode()
    assert JOBS in body
