"""Job kinds for the tests: each leaves a trace (a group) so a test can tell whether its
work was kept, rolled back or done twice."""

import threading

from django.contrib.auth.models import Group

from scoring.jobs.models import Job
from scoring.jobs.runner import JobRefused, job_kind, progress_of, save_file

COUNT, REFUSE, FLAKY, FILE = "test_count", "test_refuse", "test_flaky", "test_file"


@job_kind(COUNT, title="Count rows", result_template="scoring/jobs/exported.html")
def count_rows(job: Job, progress) -> dict:
    """Count ``rows`` steps; report the progress the web would have read half-way."""
    rows = job.payload.get("rows", 3)
    seen = None
    for done in range(1, rows + 1):
        progress(done, rows)
        if done == 1:
            seen = progress_of(Job.objects.get(pk=job.pk))
    Group.objects.create(name=job.payload.get("group", f"counted-{job.pk}"))
    return {"rows": rows, "seen": [seen.done, seen.total]}


@job_kind(REFUSE, title="Refuse a file")
def refuse(job: Job, progress) -> dict:
    Group.objects.create(name=f"refused-{job.pk}")
    progress(2, 10)
    raise JobRefused(
        "The file has bad rows.",
        problems=[{"row": 3, "column": "Mã cán bộ", "message": "empty"}, "Too many columns."],
    )


@job_kind(FLAKY, title="Fail once")
def fail_once(job: Job, progress) -> dict:
    """Fails on its first attempt (after writing), succeeds on the next."""
    Group.objects.create(name=f"flaky-{job.pk}")
    if job.attempts == 1:
        raise RuntimeError("secret details of the crash")
    return {"attempt": job.attempts}


@job_kind(FILE, title="Make a file")
def make_file(job: Job, progress) -> dict:
    save_file(job, "report.csv", b"a,b\n1,2\n")
    return {}


WAIT = "test_wait"
entered, gate = threading.Event(), threading.Event()


@job_kind(WAIT, title="Wait for the gate")
def wait_for_gate(job: Job, progress) -> dict:
    """Holds its job (and its transaction) open until the test opens ``gate``."""
    progress(1, 2)
    Group.objects.create(name=f"waited-{job.pk}")
    entered.set()
    gate.wait(30)
    progress(2, 2)
    return {}
