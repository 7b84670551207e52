"""End to end: a job through the real database queue and the real ``db_worker``.

The rest of the suite runs tasks at once (the immediate backend); here the job is
committed, its task row waits in the database, and the worker command takes it, as in
production. Transactional: commits really happen, so the worker sees what the web wrote.
"""

import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections
from django_tasks_db.models import DBTaskResult

from scoring.jobs import runner
from scoring.jobs.models import Job
from tests import factories as f
from tests.scoring.jobs import kinds

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE


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


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_a_task_delivered_while_its_job_runs_does_nothing_and_sees_the_progress():
    requester = f.user("nguoi-yeu-cau")
    job = Job.objects.create(kind=kinds.WAIT, title="w", requested_by=requester)
    kinds.entered.clear()
    kinds.gate.clear()

    def first_delivery() -> None:
        try:
            runner.run_job.call(job.pk)
        finally:
            connections.close_all()

    worker_thread = threading.Thread(target=first_delivery)
    worker_thread.start()
    try:
        assert kinds.entered.wait(30)
        running = Job.objects.get(pk=job.pk)
        assert running.state == Job.State.RUNNING  # committed before the work started
        assert runner.progress_of(running) == runner.JobProgress(1, 2)  # from the cache
        runner.run_job.call(job.pk)  # a second delivery: the row is locked, it leaves it
        assert Job.objects.get(pk=job.pk).attempts == 1
    finally:
        kinds.gate.set()
        worker_thread.join(30)
    job.refresh_from_db()
    assert (
        job.state == Job.State.SUCCEEDED and job.attempts == 1 and (job.done, job.total) == (2, 2)
    )
    assert Group.objects.filter(name=f"waited-{job.pk}").count() == 1
