"""Running a job: success with progress, refusal, failure and retry, idempotency, pruning."""

import datetime
import logging

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django_tasks.backends.immediate import ImmediateBackend

from scoring.jobs import runner
from scoring.jobs.models import Job
from tests.scoring.jobs import kinds

pytestmark = pytest.mark.django_db


def run(django_capture_on_commit_callbacks, *args, **kwargs) -> Job:
    """Start a job and let its commit hand it to the (immediate) task backend."""
    with django_capture_on_commit_callbacks(execute=True):
        job = runner.start(*args, **kwargs)
    job.refresh_from_db()
    return job


def test_a_job_waits_for_its_callers_commit(django_capture_on_commit_callbacks, requester):
    with django_capture_on_commit_callbacks() as callbacks:
        job = runner.start(kinds.COUNT, requester, {"rows": 2})
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED and job.attempts == 0
    assert not Group.objects.filter(name__startswith="counted-").exists()


def test_a_job_succeeds_with_its_progress_and_outcome(
    django_capture_on_commit_callbacks, requester
):
    job = run(django_capture_on_commit_callbacks, kinds.COUNT, requester, {"rows": 5})

    assert job.state == Job.State.SUCCEEDED
    assert (job.done, job.total, job.attempts) == (5, 5, 1)
    assert job.outcome["rows"] == 5
    # Half-way, the web read the progress from the jobs cache, not the row (still 0 / 0).
    assert job.outcome["seen"] == [1, 5]
    assert job.started_at <= job.finished_at
    assert job.task_id and job.requested_by == requester and job.language == "vi"
    assert Group.objects.filter(name=f"counted-{job.pk}").exists()
    assert runner.progress_of(job) == runner.JobProgress(5, 5)


def test_a_refusal_keeps_nothing_and_lists_its_problems(
    django_capture_on_commit_callbacks, requester
):
    job = run(django_capture_on_commit_callbacks, kinds.REFUSE, requester)

    assert job.state == Job.State.REFUSED
    assert job.error == "The file has bad rows."
    assert job.problems == [
        {"row": 3, "column": "Mã cán bộ", "message": "empty"},
        {"row": None, "column": "", "message": "Too many columns."},
    ]
    assert (job.done, job.total) == (2, 10)
    assert not Group.objects.filter(name=f"refused-{job.pk}").exists()
    assert not runner.may_retry(job, requester)


def test_a_failure_is_logged_not_shown_and_a_retry_does_the_work_once(
    django_capture_on_commit_callbacks, requester, caplog
):
    with caplog.at_level(logging.ERROR, logger="scoring.jobs.runner"):
        job = run(django_capture_on_commit_callbacks, kinds.FLAKY, requester)

    assert job.state == Job.State.FAILED
    assert "secret" not in job.error
    with translation.override("vi"):
        assert job.error == translation.gettext(runner.FAILURE_MESSAGE)
    assert "secret details of the crash" in caplog.text  # the traceback is in the log
    assert not Group.objects.filter(name=f"flaky-{job.pk}").exists()  # rolled back

    with django_capture_on_commit_callbacks(execute=True):
        runner.retry(job, requester)
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and job.attempts == 2
    assert job.outcome == {"attempt": 2} and job.error == ""
    assert Group.objects.filter(name=f"flaky-{job.pk}").count() == 1


def test_only_the_requester_retries_and_only_a_failed_job(
    django_capture_on_commit_callbacks, requester, someone_else
):
    failed = run(django_capture_on_commit_callbacks, kinds.FLAKY, requester)
    with pytest.raises(PermissionDenied):
        runner.retry(failed, someone_else)
    done = run(django_capture_on_commit_callbacks, kinds.COUNT, requester)
    with pytest.raises(runner.NotRetryable):
        runner.retry(done, requester)
    assert not runner.may_retry(done, requester) and runner.may_retry(failed, requester)
    assert not runner.may_retry(failed, someone_else)


def test_the_same_key_finds_the_same_job_and_works_once(
    django_capture_on_commit_callbacks, requester
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = runner.start(kinds.COUNT, requester, {"group": "once"}, key="confirm:1")
        second = runner.start(kinds.COUNT, requester, {"group": "once"}, key="confirm:1")
    assert first.pk == second.pk
    assert len(callbacks) == 1
    assert Job.objects.count() == 1 and Group.objects.filter(name="once").count() == 1
    again = runner.start(kinds.COUNT, requester, {"group": "once"}, key="confirm:1")
    assert again.pk == first.pk


def test_the_database_refuses_a_key_used_twice(requester):
    Job.objects.create(kind=kinds.COUNT, title="a", key="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind=kinds.COUNT, title="b", key="same")
    Job.objects.create(kind=kinds.COUNT, title="c")  # jobs without a key never clash
    Job.objects.create(kind=kinds.COUNT, title="d")


def test_a_task_delivered_again_does_nothing(django_capture_on_commit_callbacks, requester):
    job = run(django_capture_on_commit_callbacks, kinds.COUNT, requester, {"group": "g"})
    runner.run_job.call(job.pk)
    job.refresh_from_db()
    assert job.attempts == 1 and Group.objects.filter(name="g").count() == 1

    running = Job.objects.create(kind=kinds.COUNT, title="r", state=Job.State.RUNNING, attempts=1)
    runner.run_job.call(running.pk)
    running.refresh_from_db()
    assert running.state == Job.State.RUNNING and running.attempts == 1


def test_a_job_whose_kind_is_gone_fails(django_capture_on_commit_callbacks, requester):
    job = Job.objects.create(kind="gone", title="old", requested_by=requester)
    with django_capture_on_commit_callbacks(execute=True):
        runner.enqueue_on_commit(job)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED


def test_an_unknown_kind_cannot_be_started(requester):
    with pytest.raises(Exception, match="No job kind"):
        runner.start("nothing-like-this", requester)


def test_progress_reads_as_people_write_numbers():
    progress = runner.JobProgress(1234, 20000)
    with translation.override("vi"):
        assert progress.label == "1.234 / 20.000"
    with translation.override("en"):
        assert progress.label == "1,234 / 20,000"
    assert progress.percent == 6
    assert runner.JobProgress(0, 0).label == "" and runner.JobProgress(0, 0).percent is None


def test_progress_writes_are_throttled(monkeypatch):
    clock = iter([100.0, 100.1, 100.2, 101.5])
    monkeypatch.setattr(runner.time, "monotonic", lambda: next(clock))
    written = []
    tracker = runner.ProgressTracker(0)
    monkeypatch.setattr(tracker, "_write", lambda: written.append(tracker.done))
    tracker(1, 100)  # the first call is written
    tracker(2)  # too soon
    tracker(100)  # the last step is always written
    tracker(100)  # a second later
    assert written == [1, 100, 100]
    assert tracker.final() == (100, 100)


def test_pruning_deletes_old_files_and_old_jobs(django_capture_on_commit_callbacks, requester):
    old = run(django_capture_on_commit_callbacks, kinds.FILE, requester)
    recent = run(django_capture_on_commit_callbacks, kinds.FILE, requester)
    ancient = run(django_capture_on_commit_callbacks, kinds.FILE, requester)
    now = timezone.now()
    Job.objects.filter(pk=old.pk).update(finished_at=now - datetime.timedelta(days=10))
    Job.objects.filter(pk=ancient.pk).update(finished_at=now - datetime.timedelta(days=100))
    storage = old.file.storage
    old_name, ancient_name = old.file.name, ancient.file.name

    pruned = runner.prune(
        files_before=now - datetime.timedelta(days=7), jobs_before=now - datetime.timedelta(days=90)
    )

    assert (pruned.files, pruned.jobs) == (2, 1)
    assert not storage.exists(old_name) and not storage.exists(ancient_name)
    assert storage.exists(recent.file.name)
    old.refresh_from_db()
    assert not old.file and not Job.objects.filter(pk=ancient.pk).exists()


def test_a_job_left_running_by_a_stopped_worker_can_be_retried(requester):
    started = timezone.now() - datetime.timedelta(hours=7)
    stuck = Job.objects.create(
        kind=kinds.COUNT,
        title="s",
        state=Job.State.RUNNING,
        started_at=started,
        attempts=1,
        requested_by=requester,
    )
    fresh = Job.objects.create(
        kind=kinds.COUNT, title="f", state=Job.State.RUNNING, started_at=timezone.now()
    )
    lost = Job.objects.create(kind=kinds.COUNT, title="l", requested_by=requester)
    Job.objects.filter(pk=lost.pk).update(created_at=started)  # never handed to a worker
    assert runner.recover_interrupted(timezone.now() - datetime.timedelta(hours=6)) == 2
    for job in (stuck, fresh, lost):
        job.refresh_from_db()
    assert stuck.state == Job.State.FAILED and runner.may_retry(stuck, requester)
    assert lost.state == Job.State.FAILED
    assert fresh.state == Job.State.RUNNING


def test_a_task_backend_out_of_reach_leaves_the_job_waiting(
    django_capture_on_commit_callbacks, requester, monkeypatch, caplog
):
    def unreachable(*args):
        raise ConnectionError("no queue")

    monkeypatch.setattr(ImmediateBackend, "enqueue", unreachable)
    with caplog.at_level(logging.ERROR, logger="scoring.jobs.runner"):
        job = run(django_capture_on_commit_callbacks, kinds.COUNT, requester)
    assert job.state == Job.State.QUEUED and job.task_id == ""
    assert "could not be handed" in caplog.text
