"""A month in progress for the demo: open, with plans, self-scores and sheets waiting.

Runs once per month (a month that already exists is left as it is), so ``make run``
twice keeps whatever a visitor did. The demo's staff member (``canbo``) has a plan to
mark and a sheet to self-score; several colleagues have submitted sheets waiting for the
demo evaluator (``danhgia``), so every role finds something to do on first login.
"""

from __future__ import annotations

import calendar
import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from scoring.cycle import periods, sheets
from scoring.models import Evaluation, Period, WorkItem, WorkProduct

SUBMITTED_FOR_EVALUATOR = 6


@transaction.atomic
def open_demo_month(today: datetime.date | None = None) -> Period | None:
    """Open the current month for the demo unless it exists; returns it when made."""
    today = today or timezone.localdate()
    if Period.objects.filter(year=today.year, month=today.month).exists():
        return None
    last = datetime.date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
    deadlines = periods.default_deadlines(today.year, today.month)
    deadlines["plan_deadline"] = last  # the demo lets visitors register work all month
    period = periods.open_period(today.year, today.month, **deadlines).period
    periods.advance_period(period, Period.State.SELF_SCORING)
    rng = random.Random(today.toordinal())
    products = list(WorkProduct.objects.filter(active=True))
    evaluations = list(
        Evaluation.objects.filter(period=period).select_related("staff__user", "evaluator__user")
    )
    WorkItem.objects.bulk_create(
        (item for e in evaluations for item in _plan(e, products, today, rng)), batch_size=2000
    )
    _submit_some(evaluations)
    return period


def _plan(evaluation: Evaluation, products, today: datetime.date, rng: random.Random):
    days = calendar.monthrange(today.year, today.month)[1]
    return [
        WorkItem(
            evaluation=evaluation,
            product=rng.choice(products),
            quantity=Decimal(rng.randint(1, 3)),
            deadline=datetime.date(today.year, today.month, rng.randint(5, days)),
            done=rng.random() < 0.9,
            delays=rng.choice([0, 0, 0, 1]),
        )
        for _ in range(rng.randint(2, 4))
    ]


def _submit_some(evaluations: list[Evaluation]) -> None:
    """Colleagues of the demo evaluator self-score and submit, so the queue has work."""
    waiting = [
        e
        for e in evaluations
        if e.evaluator
        and e.evaluator.user
        and e.evaluator.user.username == "danhgia"
        and not (e.staff.user and e.staff.user.username == "canbo")
    ][:SUBMITTED_FOR_EVALUATOR]
    for evaluation in waiting:
        data = sheets.load(evaluation.pk)
        entries = {
            criterion.pk: (criterion.max_points - Decimal(evaluation.pk % 2), "")
            for criterion in data.criteria
            if criterion.kind == "manual"
        }
        sheets.save_self_scores(data, None, entries, data.evaluation.version)
        sheets.submit(data, None, data.evaluation.version)
