"""Benchmark: a whole month for N staff, from opening to closing, with times and queries.

Run from the repository root against a dedicated PostgreSQL database::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_month \\
        .venv/bin/python bench/bench_month.py --staff 20000

The database named in ``DATABASE_URL`` is dropped and created again, migrated and seeded
with ``manage.py seed_demo --staff N --no-month`` (settings ``portal.settings.dev`` with
``DEBUG=0``); the script refuses a database whose name does not start with ``bench`` and
touches no other. Then, for March 2026, it times each step and counts its SQL queries:

1. ``periods.open_period``: one sheet per person, with their set and evaluator;
2. ``periods.advance_period`` to self-scoring;
3. a) everyone fills their sheet: self points on every hand-scored line and three work
   items, written with ``bulk_create``. This simulates a month of typing at once, is no
   code path of the portal and is timed apart; an ``ANALYZE`` follows, as autovacuum
   would after such a load.
   b) a sample of sheets goes through the per-sheet services one by one:
   ``sheets.load`` + ``sheets.submit``; then the day's reminder digests are collected
   and rendered (none is sent); the month moves to evaluation and the sample goes
   through ``sheets.load`` + ``sheets.approve`` (one line changed, with a comment).
   Reported in sheets per second and queries per sheet;
4. ``periods.close_period``: scores and freezes every sheet with the engine.

Queries are counted with ``CaptureQueriesContext`` (``force_debug_cursor``), whose small
overhead is included in the times.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import io
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from benchdb import configure_django, database_settings, recreate_database

YEAR, MONTH = 2026, 3
REMINDER_DAY = datetime.date(2026, 4, 6)  # after the self-scoring deadline of 3 April


@contextmanager
def step(label: str) -> Iterator[dict]:
    """Time the block and count its queries; the block may add figures to the dict."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The debug cursor keeps at most 9,000 queries; the per-sheet steps run more.
    connection.queries_log = collections.deque()
    figures: dict = {}
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        yield figures
        figures["seconds"] = time.perf_counter() - started
    figures["queries"] = len(queries)
    connection.queries_log = collections.deque()
    extra = figures.get("note", "")
    print(f"{label:<52} {figures['seconds']:8.2f} s {figures['queries']:9,d} queries  {extra}")


def seed(staff: int) -> str:
    from django.core.management import call_command

    output = io.StringIO()
    # The bench opens its own month: the demo's month in progress would only add noise.
    call_command("seed_demo", staff=staff, no_month=True, stdout=output)
    return output.getvalue().splitlines()[0]


def fill_sheets(period, rng: random.Random) -> tuple[int, int]:
    """Everyone's self points and work items, in bulk: what people type during the month."""
    from scoring.models import Criterion, CriterionScore, Evaluation, WorkItem, WorkProduct

    sheets = list(Evaluation.objects.filter(period=period).values_list("pk", "criteria_set_id"))
    manual = collections.defaultdict(list)
    for set_id, criterion_id, maximum in Criterion.objects.filter(
        group__criteria_set_id__in={set_id for _pk, set_id in sheets}, kind="manual"
    ).values_list("group__criteria_set_id", "pk", "max_points"):
        manual[set_id].append((criterion_id, maximum))
    products = list(WorkProduct.objects.filter(active=True).order_by("pk")[:3])
    scores, items = [], []
    for pk, set_id in sheets:
        for criterion_id, maximum in manual[set_id]:
            points = (maximum * Decimal(rng.randint(70, 100)) / 100).quantize(Decimal("0.5"))
            scores.append(
                CriterionScore(evaluation_id=pk, criterion_id=criterion_id, self_points=points)
            )
        for product in products:
            items.append(
                WorkItem(
                    evaluation_id=pk,
                    product=product,
                    quantity=rng.randint(1, 4),
                    deadline=datetime.date(YEAR, MONTH, rng.randint(5, 28)),
                    done=rng.random() < 0.95,
                    delays=int(rng.random() < 0.1),
                )
            )
    CriterionScore.objects.bulk_create(scores, batch_size=5000)
    WorkItem.objects.bulk_create(items, batch_size=5000)
    return len(scores), len(items)


def analyze() -> None:
    """Refresh the planner's statistics, stale right after a bulk load of this size."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def sample_of(period, size: int) -> list[int]:
    """``size`` sheets spread evenly over the month (every k-th by id)."""
    from scoring.models import Evaluation

    ids = list(Evaluation.objects.filter(period=period).order_by("pk").values_list("pk", flat=True))
    stride = max(1, len(ids) // size)
    return ids[::stride][:size]


def submit_one(pk: int, user) -> None:
    from scoring.cycle import sheets

    data = sheets.load(pk)
    sheets.submit(data, user, data.evaluation.version)


def approve_one(pk: int, user) -> None:
    """The evaluator lowers the first hand-scored line by one point, with a comment."""
    from scoring.cycle import sheets

    data = sheets.load(pk)
    line = next(c for c in data.criteria if c.kind == "manual")
    lowered = max(Decimal("0"), data.scores[line.pk].self_points - 1)
    entries = {line.pk: (str(lowered), "Chưa đủ minh chứng")}
    sheets.approve(data, user, entries, data.evaluation.version)


def per_sheet(label: str, action, sample: list[int], user) -> None:
    with step(label) as figures:
        for pk in sample:
            action(pk, user)
    rate = len(sample) / figures["seconds"]
    print(f"{'':<52} {rate:8.0f} sheets/s, {figures['queries'] / len(sample):.1f} queries/sheet")


def reminders_of_the_day() -> None:
    from scoring.cycle import reminders

    with step(f"reminders: collect digests for {REMINDER_DAY:%d/%m/%Y}") as figures:
        result = reminders.collect_reminders(REMINDER_DAY, days=2)
        figures["note"] = f"({len(result.digests):,d} digests, {result.sheets_waiting:,d} waiting)"
    with step("reminders: render every digest (not sent)") as figures:
        for digest in result.digests:
            reminders.render_digest(digest)


def run_month(staff: int, sample_size: int) -> None:
    from django.contrib.auth import get_user_model

    from scoring.cycle import periods
    from scoring.models import Evaluation, Period

    rng = random.Random(2026)
    with step(f"seed_demo --staff {staff}") as figures:
        figures["note"] = f"({seed(staff)})"
    with step(f"1. open_period({YEAR}, {MONTH})") as figures:
        opened = periods.open_period(YEAR, MONTH)
        figures["note"] = (
            f"({opened.created:,d} sheets, {len(opened.without_evaluator)} without evaluator)"
        )
    period = opened.period
    with step("2. advance_period → self_scoring"):
        periods.advance_period(period, Period.State.SELF_SCORING)
    with step("3a. fill every sheet in bulk (simulated typing)") as figures:
        scores, items = fill_sheets(period, rng)
        figures["note"] = f"({scores:,d} scores, {items:,d} work items)"
    with step("    ANALYZE (what autovacuum does after such a load)"):
        analyze()
    user = get_user_model().objects.create_user("bench-evaluator")
    sample = sample_of(period, sample_size)
    per_sheet(f"3b. load + submit, {len(sample):,d} sheets one by one", submit_one, sample, user)
    reminders_of_the_day()
    with step("3c. advance_period → evaluation"):
        periods.advance_period(period, Period.State.EVALUATION)
    per_sheet(f"3d. load + approve, {len(sample):,d} sheets one by one", approve_one, sample, user)
    with step("4. close_period (score and freeze every sheet)"):
        periods.close_period(period)
    levels = Evaluation.objects.filter(period=period).values_list("level", flat=True)
    counted = sorted(collections.Counter(levels).items(), key=str)
    print("levels after closing: " + ", ".join(f"{level}: {n:,d}" for level, n in counted))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=20_000)
    parser.add_argument("--sample", type=int, default=1_000, help="sheets scored one by one")
    args = parser.parse_args()

    config = database_settings()
    recreate_database(config)
    configure_django()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated {config['NAME']} in {time.perf_counter() - started:.1f} s (not counted)")
    total = time.perf_counter()
    run_month(args.staff, args.sample)
    print(f"{'total':<52} {time.perf_counter() - total:8.2f} s")


if __name__ == "__main__":
    main()
