"""Reminder e-mails: one digest per person of what the month still asks of them.

Three things can be due, each counted from its own deadline of the month
(:class:`scoring.models.Period`):

- the work plan (đăng ký công việc): a sheet with no work item while the month is open;
- self-scoring (tự đánh giá, tự chấm điểm): a sheet still being prepared or returned for
  correction while the month is in self-scoring or evaluation;
- evaluation: a submitted sheet waits for its evaluator, or for every member of its
  council (a council scores as one body, so each member is reminded).

A task is due when its deadline falls within ``days`` days of ``today`` or has passed;
closed months are never reminded. Each person gets one e-mail listing all of their tasks
(their own sheet and the sheets waiting for them), written in Vietnamese. The sheets are
read in one query (and their councils' members in one more), whatever the headcount, and
the e-mails go out over a single connection. People with no usable address are kept in
the result, so the command reports them instead of skipping them silently.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Case, CharField, Exists, OuterRef, Prefetch, Q, Value, When
from django.template.loader import render_to_string
from django.utils import translation

from scoring.calendar.models import Period
from scoring.organisation.models import Staff

from .models import Evaluation, WorkItem

PLAN = "plan"
SELF_SCORING = "self"
EVALUATION = "evaluation"
KINDS = (PLAN, SELF_SCORING, EVALUATION)

LANGUAGE = "vi"
SUBJECT_TEMPLATE = "scoring/email/reminder_subject.txt"
BODY_TEMPLATE = "scoring/email/reminder.txt"

State = Evaluation.State


@dataclass(frozen=True)
class Task:
    """One thing a person has to do for one month, with its deadline.

    ``waiting`` names the people whose submitted sheets wait for this evaluator (only for
    evaluation tasks); ``council`` is the council's name when they evaluate as a member.
    """

    kind: str
    period: Period
    deadline: datetime.date
    today: datetime.date
    waiting: tuple[str, ...] = ()
    council: str = ""
    return_comment: str = ""

    @property
    def days_left(self) -> int:
        """Whole days until the deadline: 0 on the day itself, negative once past."""
        return (self.deadline - self.today).days

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def sort_key(self) -> tuple:
        return (self.period.year, self.period.month, KINDS.index(self.kind), self.council)


@dataclass
class Digest:
    """Everything one person is reminded of in one e-mail."""

    person: Staff
    tasks: list[Task] = field(default_factory=list)

    @property
    def email(self) -> str:
        """The person's address, or "" when they have no active login with one."""
        user = self.person.user
        if user is None or not user.is_active:
            return ""
        return (user.email or "").strip()

    @property
    def overdue_count(self) -> int:
        return sum(task.overdue for task in self.tasks)

    def has(self, kind: str) -> bool:
        return any(task.kind == kind for task in self.tasks)


@dataclass
class Reminders:
    """The digests of one run, who can be reached, and what was sent."""

    today: datetime.date
    days: int
    digests: list[Digest]
    sheets_waiting: int = 0  # submitted sheets due for evaluation
    unrouted: int = 0  # of which: sheets with neither an evaluator nor a council
    sent: int = 0

    @property
    def horizon(self) -> datetime.date:
        return self.today + datetime.timedelta(days=self.days)

    @property
    def to_send(self) -> list[Digest]:
        return [digest for digest in self.digests if digest.email]

    @property
    def without_email(self) -> list[Digest]:
        return [digest for digest in self.digests if not digest.email]

    def people(self, kind: str) -> int:
        """How many people have a task of ``kind`` (with or without an address)."""
        return sum(digest.has(kind) for digest in self.digests)


# --- Finding what is due ----------------------------------------------------------------


def due_sheets(today: datetime.date, days: int) -> list[Evaluation]:
    """Sheets of open months with a task due by ``today + days``, each with ``reminder``.

    One query for the sheets (with their month, person, evaluator and council) and one
    for the councils' members; the kind of task is decided by the database.
    """
    horizon = today + datetime.timedelta(days=days)
    editable = [State.DRAFT, State.RETURNED]
    plan_due = Q(
        period__state=Period.State.OPEN,
        period__plan_deadline__lte=horizon,
        state__in=editable,
        has_work=False,
    )
    self_due = Q(
        period__state__in=[Period.State.SELF_SCORING, Period.State.EVALUATION],
        period__self_deadline__lte=horizon,
        state__in=editable,
    )
    evaluation_due = Q(state=State.SUBMITTED, period__evaluation_deadline__lte=horizon)
    members = Staff.objects.select_related("user").order_by("full_name", "pk")
    return list(
        Evaluation.objects.exclude(period__state=Period.State.CLOSED)
        .annotate(has_work=Exists(WorkItem.objects.filter(evaluation=OuterRef("pk"))))
        .annotate(
            reminder=Case(
                When(plan_due, then=Value(PLAN)),
                When(self_due, then=Value(SELF_SCORING)),
                When(evaluation_due, then=Value(EVALUATION)),
                default=None,
                output_field=CharField(),
            )
        )
        .filter(reminder__isnull=False)
        .select_related("period", "staff__user", "evaluator__user", "council")
        .prefetch_related(Prefetch("council__members", queryset=members))
        .order_by("period__year", "period__month", "staff__full_name", "pk")
    )


def own_task(sheet: Evaluation, today: datetime.date) -> Task:
    """The person's own plan or self-scoring task for ``sheet``."""
    period = sheet.period
    if sheet.reminder == PLAN:
        return Task(PLAN, period, period.plan_deadline, today)
    comment = sheet.return_comment if sheet.state == State.RETURNED else ""
    return Task(SELF_SCORING, period, period.self_deadline, today, return_comment=comment)


def evaluators_of(sheet: Evaluation) -> list[Staff]:
    """Who must evaluate a submitted sheet: its evaluator, or every council member."""
    if sheet.evaluator is not None:
        return [sheet.evaluator]
    if sheet.council is not None:
        return list(sheet.council.members.all())
    return []


def evaluation_task(group: list[Evaluation], today: datetime.date) -> Task:
    """One evaluator's task for the sheets of one month (and one council) waiting for them."""
    first = group[0]
    return Task(
        EVALUATION,
        first.period,
        first.period.evaluation_deadline,
        today,
        waiting=tuple(sheet.staff.full_name for sheet in group),
        council=first.council.name if first.council else "",
    )


def build_reminders(sheets: list[Evaluation], today: datetime.date, days: int) -> Reminders:
    """Group the due sheets into one digest per person, in memory."""
    digests: dict[int, Digest] = {}
    waiting: dict[tuple[int, int, int | None], list[Evaluation]] = defaultdict(list)
    submitted = [sheet for sheet in sheets if sheet.reminder == EVALUATION]
    for sheet in sheets:
        if sheet.reminder != EVALUATION:
            digest = digests.setdefault(sheet.staff_id, Digest(sheet.staff))
            digest.tasks.append(own_task(sheet, today))
    for sheet in submitted:
        for evaluator in evaluators_of(sheet):
            digests.setdefault(evaluator.pk, Digest(evaluator))
            waiting[(evaluator.pk, sheet.period_id, sheet.council_id)].append(sheet)
    for (evaluator_id, _period_id, _council_id), group in waiting.items():
        digests[evaluator_id].tasks.append(evaluation_task(group, today))
    for digest in digests.values():
        digest.tasks.sort(key=lambda task: task.sort_key)
    return Reminders(
        today,
        days,
        sorted(digests.values(), key=lambda d: (d.person.full_name, d.person.pk)),
        sheets_waiting=len(submitted),
        unrouted=sum(not evaluators_of(sheet) for sheet in submitted),
    )


def collect_reminders(today: datetime.date, days: int = 2) -> Reminders:
    """Every person with a task due within ``days`` days of ``today`` or overdue."""
    if days < 0:
        raise ValueError("days must be zero or more")
    return build_reminders(due_sheets(today, days), today, days)


# --- Writing and sending ----------------------------------------------------------------


def admin_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/"


def _tidy(text: str) -> str:
    """Plain-text template output without trailing spaces or runs of blank lines."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def render_digest(digest: Digest) -> EmailMessage:
    """The digest as a plain-text e-mail in Vietnamese."""
    context = {"digest": digest, "person": digest.person, "admin_url": admin_url()}
    with translation.override(LANGUAGE):
        subject = " ".join(render_to_string(SUBJECT_TEMPLATE, context).split())
        body = _tidy(render_to_string(BODY_TEMPLATE, context))
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [digest.email])


def send_digests(digests: list[Digest]) -> int:
    """Send the digests over one connection; returns how many the backend accepted."""
    messages = [render_digest(digest) for digest in digests]
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def send_reminders(today: datetime.date, days: int = 2, dry_run: bool = False) -> Reminders:
    """Collect the month's reminders and, unless ``dry_run``, e-mail them."""
    reminders = collect_reminders(today, days)
    if not dry_run:
        reminders.sent = send_digests(reminders.to_send)
    return reminders
