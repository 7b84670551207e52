"""Long work in the background: register a kind of job, start it, follow it, retry it.

A feature declares what a job does once, in its own ``jobs.py`` (imported by
:class:`scoring.apps.ScoringConfig`, so the workers know it too)::

    @job_kind("open_period", title=_("Open a month"), result_template="scoring/period/opened.html")
    def open_month(job: Job, progress: Progress) -> dict:
        ...                       # job.payload holds what start() was given
        progress(done, total)     # as often as it likes; the writes are throttled
        raise JobRefused(_("The month is closed."), problems=[...])  # an expected "no"
        return {"created": 12}    # the outcome (JSON), shown through result_template

and a view starts it and shows its page::

    job = start("open_period", request.user, {"year": 2026, "month": 3}, key=key_from(request))
    return redirect(job_url(job))

How a job runs (:func:`run_job`, a django-tasks task on the default queue):

1. The job row is locked; a job that is not queued (running elsewhere, finished) is left
   alone, so a task delivered twice never does the work twice. Otherwise it is marked
   running, with one more attempt, and that is committed before the work starts.
2. The work and the job's final state are saved in one transaction (the row stays locked
   meanwhile): an error rolls both back, and the job is failed, ready to be retried.
   :class:`JobRefused` ends it as refused, with its problems; any other exception as
   failed, with a generic reason for the user and the traceback in the log only.
3. Progress cannot be a row update inside that transaction (nobody would see it before
   the end), so it goes through the ``jobs`` cache, which workers and web processes share;
   the final counts are stored on the row.

The work runs in the language the requester used, so the messages it writes read as
the page that started it, and under the id of the request that started it (or retried
it), so its log lines carry the same ``request_id`` as that request's
(:mod:`scoring.lib.request_id`); a job started outside a request gets an id of its own.
"""

from __future__ import annotations

import datetime
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import get_format
from django.utils.functional import Promise
from django.utils.numberformat import format as format_number
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from scoring.jobs.models import Job
from scoring.lib import request_id as request_ids

logger = logging.getLogger(__name__)

State = Job.State
Progress = Callable[..., None]  # progress(done, total=None)

CACHE_ALIAS = "jobs"
PROGRESS_SECONDS = 1.0  # at most one progress write per job and second
PROGRESS_TIMEOUT = 24 * 3600
FAILURE_MESSAGE = _(
    "The job stopped because of an unexpected error. Nothing it did was kept; you can "
    "try again, and if it fails again, tell the administrator."
)
INTERRUPTED_MESSAGE = _(
    "The job was interrupted (its worker stopped). Nothing it did was kept; you can try again."
)
KEY_FIELD = "job_key"
_KEY_PATTERN = re.compile(r"^[0-9a-f]{32}$")


class JobRefused(Exception):
    """An expected "no" (a bad file, a month already closed): the job ends as refused.

    ``message`` says why, in words for the user; ``problems`` lists the details, each a
    string or a mapping with ``message`` and optionally ``row`` and ``column`` (as the
    spreadsheet imports report them). Nothing the work wrote is kept.
    """

    def __init__(self, message: str | Promise, problems: Iterable[Any] = ()) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.problems = [_problem(problem) for problem in problems]


class NotRetryable(Exception):
    """Only a failed job can be run again."""


def _problem(problem: Any) -> dict:
    if isinstance(problem, dict):
        return {
            "row": problem.get("row"),
            "column": str(problem["column"]) if problem.get("column") else "",
            "message": str(problem.get("message", "")),
        }
    return {"row": None, "column": "", "message": str(problem)}


# --- Kinds -----------------------------------------------------------------------------


@dataclass(frozen=True)
class JobKind:
    """A registered kind of work: its function, its title and how its outcome is shown.

    ``result_template`` is rendered on the job's page once it succeeded, with ``job``,
    ``outcome`` (the function's dict) and ``request`` in its context.
    """

    name: str
    function: Callable[[Job, Progress], dict | None]
    title: str | Promise
    result_template: str = ""


_KINDS: dict[str, JobKind] = {}


def job_kind(
    name: str, *, title: str | Promise, result_template: str = ""
) -> Callable[[Callable], Callable]:
    """Register ``fn(job, progress) -> dict`` as the work of jobs of kind ``name``."""

    def register(function: Callable[[Job, Progress], dict | None]) -> Callable:
        known = _KINDS.get(name)
        if known and known.function.__qualname__ != function.__qualname__:
            raise ImproperlyConfigured(f"Two job kinds are named {name!r}.")
        _KINDS[name] = JobKind(name, function, title, result_template)
        return function

    return register


def kind_of(job: Job) -> JobKind | None:
    """The registered kind of ``job`` (None: the code that knew it is gone)."""
    return _KINDS.get(job.kind)


# --- Starting --------------------------------------------------------------------------


def new_key() -> str:
    """A fresh idempotency token for a confirmation form (``KEY_FIELD``, hidden)."""
    return uuid.uuid4().hex


def key_from(request, kind: str) -> str | None:
    """The idempotency key of a submitted confirmation: its token, per user and kind.

    The same form submitted twice carries the same token, so it finds the same job; a
    token is only ever matched with the user who submits it.
    """
    token = request.POST.get(KEY_FIELD, "")
    if not _KEY_PATTERN.match(token):
        return None
    return f"{kind}:{request.user.pk}:{token}"


def started(key: str | None) -> Job | None:
    """The job a key already started, if any."""
    return Job.objects.filter(key=key).first() if key else None


def start(
    kind: str,
    user,
    payload: dict | None = None,
    key: str | None = None,
    *,
    title: str | Promise | None = None,
) -> Job:
    """Create a job of ``kind`` for ``user`` and enqueue its task once the caller commits.

    With a ``key`` already used, the existing job is returned and nothing is enqueued.
    ``payload`` must be JSON-able; ``title`` names this job (the kind's title by default).
    """
    spec = _KINDS.get(kind)
    if spec is None:
        raise ImproperlyConfigured(f"No job kind is named {kind!r}.")
    if existing := started(key):
        return existing
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                title=str(title or spec.title)[:200],
                requested_by=user if getattr(user, "pk", None) else None,
                language=translation.get_language() or settings.LANGUAGE_CODE,
                payload=payload or {},
                key=key,
            )
    except IntegrityError:
        if key is None:
            raise
        return Job.objects.get(key=key)
    enqueue_on_commit(job)
    return job


def enqueue_on_commit(job: Job) -> None:
    """Enqueue ``job`` once the caller commits, with the id of the request asking now
    (the commit may come after the request's id is gone: a test, a nested call)."""
    job_id, asked_by = job.pk, request_ids.current()
    transaction.on_commit(lambda: enqueue(job_id, asked_by))


def enqueue(job_id: int, request_id: str = "") -> None:
    """Hand the job to the task backend and remember the task's result id.

    The caller's work is committed by now: a backend that cannot be reached leaves the
    job waiting with no task (logged), which :func:`recover_interrupted` later fails so
    that it can be retried, rather than turning the committed request into an error.
    """
    try:
        result = run_job.enqueue(job_id, request_id=request_id)
    except Exception:
        logger.exception("Background job %s could not be handed to the task backend", job_id)
        return
    Job.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


# --- Running ---------------------------------------------------------------------------


@task()
def run_job(job_id: int, request_id: str = "") -> None:
    """The task of every job: claim it, then do its work (see the module's docstring).

    ``request_id`` is the id of the request that started the job (empty: none, or a task
    enqueued before ids were passed); the job's log lines carry it.
    """
    with request_ids.bound(request_ids.accepted(request_id) or request_ids.new()):
        attempt = _claim(job_id)
        if attempt is None:
            return
        job = Job.objects.get(pk=job_id)
        logger.info("Background job %s (%s) started, attempt %s", job_id, job.kind, attempt)
        with translation.override(job.language or settings.LANGUAGE_CODE):
            state = _work(job, attempt)
        logger.info("Background job %s (%s) ended: %s", job_id, job.kind, state or "superseded")


def _claim(job_id: int) -> int | None:
    """Mark a queued job running (committed at once); its attempt number, or None."""
    with transaction.atomic():
        # A row locked by another worker is being worked on: leave it (skip, not wait).
        job = Job.objects.select_for_update(skip_locked=True).filter(pk=job_id).first()
        if job is None or job.state != State.QUEUED:
            logger.info("Job %s is not queued (or is locked): nothing to do", job_id)
            return None
        job.state = State.RUNNING
        job.started_at = timezone.now()
        job.finished_at = None
        job.attempts += 1
        job.save(update_fields=["state", "started_at", "finished_at", "attempts"])
        return job.attempts


def _work(job: Job, attempt: int) -> str | None:
    """Do the job's work; the state it ended in (None: another run had it meanwhile)."""
    tracker = ProgressTracker(job.pk)
    try:
        with transaction.atomic():
            locked = Job.objects.select_for_update().get(pk=job.pk)
            if locked.state != State.RUNNING or locked.attempts != attempt:
                return None  # queued again and claimed by another run meanwhile
            spec = kind_of(locked)
            if spec is None:
                raise LookupError(f"No job kind is named {locked.kind!r}.")
            outcome = spec.function(locked, tracker) or {}
            _save_end(locked, State.SUCCEEDED, tracker, outcome=outcome)
            return State.SUCCEEDED
    except JobRefused as refusal:
        _end(job.pk, attempt, State.REFUSED, tracker, refusal.message, refusal.problems)
        return State.REFUSED
    except Exception:
        logger.exception("Background job %s (%s) failed", job.pk, job.kind)
        _end(job.pk, attempt, State.FAILED, tracker, gettext(FAILURE_MESSAGE))
        return State.FAILED
    finally:
        tracker.forget()


def _save_end(job: Job, state: str, tracker: ProgressTracker, outcome: dict) -> None:
    job.state = state
    job.outcome = outcome
    job.done, job.total = tracker.final()
    job.finished_at = timezone.now()
    job.save()


def _end(
    job_id: int,
    attempt: int,
    state: str,
    tracker: ProgressTracker,
    error: str,
    problems: list | None = None,
) -> None:
    """End a run whose work was rolled back (refused or failed)."""
    done, total = tracker.final()
    Job.objects.filter(pk=job_id, state=State.RUNNING, attempts=attempt).update(
        state=state,
        error=error,
        problems=problems or [],
        outcome={},
        file="",
        done=done,
        total=total,
        finished_at=timezone.now(),
    )


def save_file(job: Job, filename: str, content: bytes) -> None:
    """Keep a file the job made (an export) for its requester; saved with the job."""
    job.file.save(filename, ContentFile(content), save=False)


# --- Progress --------------------------------------------------------------------------


def _progress_key(job_id: int) -> str:
    return f"job-progress:{job_id}"


class ProgressTracker:
    """``progress(done, total=None)`` for a job's work: throttled writes to the jobs cache.

    The first call, the last step (done reaching total) and then at most one call per
    ``PROGRESS_SECONDS`` are written; the others only update the counts kept here. A
    cache that cannot be reached costs the page its progress bar, never the job.
    """

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.done = 0
        self.total = 0
        self._written_at: float | None = None

    def __call__(self, done: int, total: int | None = None) -> None:
        self.done = max(0, int(done))
        if total is not None:
            self.total = max(0, int(total))
        now = time.monotonic()
        last_step = bool(self.total) and self.done >= self.total
        if self._written_at is None or last_step or now - self._written_at >= PROGRESS_SECONDS:
            self._written_at = now
            self._write()

    def _write(self) -> None:
        try:
            caches[CACHE_ALIAS].set(
                _progress_key(self.job_id), (self.done, self.total), PROGRESS_TIMEOUT
            )
        except Exception:
            logger.warning("The progress of job %s could not be written", self.job_id)

    def final(self) -> tuple[int, int]:
        return self.done, max(self.total, self.done) if self.total else self.total

    def forget(self) -> None:
        try:
            caches[CACHE_ALIAS].delete(_progress_key(self.job_id))
        except Exception:
            logger.warning("The progress of job %s could not be cleared", self.job_id)


@dataclass(frozen=True)
class JobProgress:
    """How far a job got, as the admin shows it ("1.234 / 20.000", 6 %)."""

    done: int
    total: int

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))

    @property
    def label(self) -> str:
        if not self.total:
            return grouped(self.done) if self.done else ""
        return f"{grouped(self.done)} / {grouped(self.total)}"


def grouped(number: int) -> str:
    """A whole number with the active language's thousands separator (1.234 in Vietnamese)."""
    return format_number(
        number,
        get_format("DECIMAL_SEPARATOR"),
        decimal_pos=0,
        grouping=3,
        thousand_sep=get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def progress_of(job: Job) -> JobProgress:
    """A running job's progress from the jobs cache; the stored counts otherwise."""
    return progress_of_many([job])[job.pk]


def progress_of_many(jobs: Iterable[Job]) -> dict[int, JobProgress]:
    """The progress of many jobs with one cache read, whatever their number."""
    jobs = list(jobs)
    running = [job.pk for job in jobs if job.state == State.RUNNING]
    cached: dict[str, Any] = {}
    if running:
        try:
            cached = caches[CACHE_ALIAS].get_many([_progress_key(pk) for pk in running])
        except Exception:
            logger.warning("The progress of running jobs could not be read")
    progress = {}
    for job in jobs:
        done, total = cached.get(_progress_key(job.pk), (job.done, job.total))
        progress[job.pk] = JobProgress(done, total)
    return progress


# --- Who sees what, retrying, pruning ----------------------------------------------------


def jobs_for(user) -> QuerySet[Job]:
    """The jobs ``user`` may see: their own; a superuser every job."""
    jobs = Job.objects.all()
    return jobs if user.is_superuser else jobs.filter(requested_by=user)


def may_retry(job: Job, user) -> bool:
    return job.is_retryable and job.requested_by_id is not None and job.requested_by_id == user.pk


def may_download(job: Job, user) -> bool:
    """A job's file goes to its requester only."""
    return bool(job.file) and job.requested_by_id is not None and job.requested_by_id == user.pk


def retry(job: Job, user) -> Job:
    """Queue a failed job again (same job, one more attempt when it runs) for its requester."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.requested_by_id != user.pk:
            raise PermissionDenied
        if not locked.is_retryable:
            raise NotRetryable(locked.state)
        locked.state = State.QUEUED
        locked.error, locked.problems, locked.outcome = "", [], {}
        locked.done = locked.total = 0
        locked.started_at = locked.finished_at = None
        locked.save()
        enqueue_on_commit(locked)
    return locked


def recover_interrupted(started_before: datetime.datetime) -> int:
    """Fail the jobs left running by a worker that stopped (or never handed to the task
    backend) before ``started_before``, so their requesters can retry them.

    A job really running keeps its row locked (PostgreSQL), so it is skipped whatever its
    age; on SQLite, which cannot tell, only the age decides.
    """
    running = Q(state=State.RUNNING, started_at__lt=started_before)
    never_enqueued = Q(state=State.QUEUED, task_id="", created_at__lt=started_before)
    with transaction.atomic():
        stuck = list(
            Job.objects.select_for_update(skip_locked=True)
            .filter(running | never_enqueued)
            .values_list("pk", flat=True)
        )
        return Job.objects.filter(pk__in=stuck).update(
            state=State.FAILED, error=gettext(INTERRUPTED_MESSAGE), finished_at=timezone.now()
        )


@dataclass(frozen=True)
class Pruned:
    files: int
    jobs: int


def prune(files_before: datetime.datetime, jobs_before: datetime.datetime) -> Pruned:
    """Delete the files of jobs finished before ``files_before`` and the finished jobs
    themselves (with any file left) before ``jobs_before``."""
    finished = Job.objects.filter(state__in=[State.SUCCEEDED, State.REFUSED, State.FAILED])
    old_jobs = finished.filter(finished_at__lt=jobs_before)
    with_files = finished.filter(finished_at__lt=max(files_before, jobs_before)).exclude(file="")
    files = 0
    for job in with_files.only("pk", "file"):
        job.file.delete(save=False)
        files += 1
    finished.filter(pk__in=with_files.values("pk")).update(file="")
    jobs, _ = old_jobs.delete()
    return Pruned(files, jobs)


def job_url(job: Job) -> str:
    return reverse("scoring_job", args=[job.pk])
