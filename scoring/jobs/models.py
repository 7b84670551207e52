"""A piece of long work run in the background (:class:`Job`) and what came of it.

The work itself is a registered kind (:mod:`scoring.jobs.runner`); the row says who asked
for it, how far it got and how it ended, so the admin can show it and the requester can
retry a job that failed.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


def file_path(job: Job, filename: str) -> str:
    """An unguessable name in the default storage: the job's files are found by link only."""
    return f"jobs/{secrets.token_urlsafe(24)}/{filename}"


class Job(models.Model):
    """One run (and its retries) of a registered kind of background work.

    ``done`` and ``total`` count rows or steps (``total`` 0: not known yet); while the job
    runs they are read from the jobs cache, and written here when it ends. ``payload`` is
    what the work was asked to do, ``outcome`` what it reported (JSON); a refused job lists
    its ``problems`` and ``error`` says why in words a user may read (never a traceback).
    ``key`` makes a start idempotent: a second start with the same key finds this job.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("done")
        REFUSED = "refused", _("refused")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    payload = models.JSONField(_("payload"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    outcome = models.JSONField(_("outcome"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    error = models.TextField(_("error message"), blank=True)
    file = models.FileField(_("file"), upload_to=file_path, max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    task_id = models.CharField(_("task result id"), max_length=64, blank=True)
    key = models.CharField(_("idempotency key"), max_length=200, null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        constraints = [
            models.UniqueConstraint(fields=["key"], name="one_job_per_key"),
        ]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="job_requester_idx"),
            models.Index(fields=["state", "finished_at"], name="job_state_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.REFUSED, self.State.FAILED)

    @property
    def is_retryable(self) -> bool:
        """Only an unexpected failure is worth running again; a refusal would be refused."""
        return self.state == self.State.FAILED

    @property
    def file_name(self) -> str:
        """The name the file is downloaded under (its stored name without the folder)."""
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""
