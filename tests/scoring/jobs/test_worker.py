"""End to end: a job through the real database queue and the real ``db_worker``.

The rest of the suite runs tasks at once (the immediate backend); here the job is
committed, its task row waits in the database, and the worker command takes it, as in
production. Transactional: commits really happen, so the worker sees what the web wrote.
"""

import signal

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from scoring.jobs import runner
from scoring.jobs.models import Job
from tests import factories as f
from tests.scoring.jobs import kinds

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE


@pytest.fixture
def worker():
    """Run ``db_worker`` until the queue is empty, keeping pytest's signal handlers."""
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}

    def run() -> None:
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    yield run
    for number, handler in handlers.items():
        signal.signal(number, handler)


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_queued_job_once(database_queue, worker):
    requester = f.user("nguoi-yeu-cau")
    job = runner.start(kinds.COUNT, requester, {"rows": 4, "group": "by-the-worker"})

    job.refresh_from_db()
    assert job.state == Job.State.QUEUED
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.status == "READY" and task.task_path == "scoring.jobs.runner.run_job"

    worker()

    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert (job.done, job.total, job.attempts) == (4, 4, 1)
    assert Group.objects.filter(name="by-the-worker").count() == 1
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"

    # The same task delivered again (enqueued twice) finds the job finished: no work.
    runner.run_job.enqueue(job.pk)
    worker()
    job.refresh_from_db()
    assert job.attempts == 1 and Group.objects.filter(name="by-the-worker").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_failed_job_is_retried_through_the_worker(database_queue, worker):
    requester = f.user("nguoi-yeu-cau")
    job = runner.start(kinds.FLAKY, requester)
    worker()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED

    runner.retry(job, requester)
    worker()
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and job.attempts == 2
    assert Group.objects.filter(name=f"flaky-{job.pk}").count() == 1
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2
