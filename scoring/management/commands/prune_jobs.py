"""``manage.py prune_jobs [--file-days 7] [--days 90] [--interrupted-hours 6]
[--upload-hours 24]`` (daily cron)."""

from __future__ import annotations

import datetime

from django.core.management.base import CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.jobs import runner
from scoring.management.arguments import TranslatedCommand
from scoring.sheets.running import sweep_uploads


class Command(TranslatedCommand):
    summary = gettext_lazy(
        "Tidy the background jobs: delete the files of jobs finished more than --file-days "
        "ago, the finished jobs older than --days, and fail the jobs left running by a "
        "worker that stopped, so they can be retried; and delete the spreadsheets uploaded "
        "for an import more than --upload-hours ago (their previews have expired)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file-days", type=int, default=7)
        parser.add_argument("--days", type=int, default=90)
        parser.add_argument("--interrupted-hours", type=int, default=6)
        parser.add_argument("--upload-hours", type=int, default=24)

    def handle(
        self, *args, file_days: int, days: int, interrupted_hours: int, upload_hours: int, **options
    ):
        now = timezone.now()
        interrupted = runner.recover_interrupted(now - datetime.timedelta(hours=interrupted_hours))
        pruned = runner.prune(
            files_before=now - datetime.timedelta(days=file_days),
            jobs_before=now - datetime.timedelta(days=days),
        )
        uploads = sweep_uploads(now - datetime.timedelta(hours=upload_hours))
        self.stdout.write(
            _(
                "Files deleted: %(files)d; jobs deleted: %(jobs)d; "
                "interrupted jobs failed: %(stuck)d."
            )
            % {"files": pruned.files, "jobs": pruned.jobs, "stuck": interrupted}
        )
        self.stdout.write(_("Expired uploads deleted: %(count)d.") % {"count": uploads})
