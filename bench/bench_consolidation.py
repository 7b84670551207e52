"""Benchmark: a locality's month and year at N staff, each step beside its SQL floor.

Run from the repository root against a dedicated PostgreSQL database::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_consolidation \\
        .venv/bin/python bench/bench_consolidation.py --staff 20000

The database named in ``DATABASE_URL`` is dropped and created again (the script refuses
a name that does not start with ``bench``), migrated and built in bulk (settings
``portal.settings.dev`` with ``DEBUG=0``):

* the demo locality with N staff (``scoring.demo.locality.seed_demo``: the tree with
  treebeard, people and posts with ``bulk_create``; past the leaders people go to
  schools of 40, so there is a unit for about every 35 people) and the shipped criteria
  sets of the migrations (Decree 335 from January 2026);
* December 2026 opened with ``periods.open_period`` (one sheet per person, with its set
  and its evaluator), then, in SQL on the server (``INSERT … SELECT``, no row travels
  through Python): one score for every line of each sheet's set, three work items a
  sheet, about 1% of the people absent for good cause the whole month (an ``Absence``
  each, their sheet excused), every other sheet evaluated with its self and final totals
  and level from its lines, every unit's month report (``UnitMonth``) submitted;
* January to November 2026 locked, with frozen totals and levels (a spread from about 40
  to 100, about 1% of each month excused): each period is inserted as "evaluation", its
  sheets are copied from December's, then it is set "closed" (the triggers of migrations
  0004/0009/0015 refuse sheets in a closed month, not a period closed after them).

Then it times each step next to a floor: hand-written SQL over the same rows through a
Django cursor, fetched to Python, in the same run. Steps that change nothing run
``--repeat`` times (3) and report the median (a step whose first run takes over a
minute runs once):

1. the month report of the locality (``REPORT`` below: the per-unit
   ``scoring.oversight.month_report.month_report`` for every unit with sheets, as a
   stand-in until ``scoring.oversight.locality.locality_report`` exists; switching is one
   line). Floor: one ``GROUP BY unit_id`` of the month's sheets (counts per level,
   absent, pending, mean of the final totals) joined to the unit's submission;
2. the lock, ``periods.close_period`` (once: it changes data). Floor: one ``UPDATE
   scoring_evaluation SET final_total = final_total`` of the month's sheets, rolled back
   (the same rows, the same triggers);
3. the year roll-up, ``scoring.rollup.years.unit_year`` for every unit, and
   ``person_years`` for everyone at once. Floor: one ``GROUP BY staff_id`` over the
   year's twelve months (mean of the final totals, absent months left out).

Queries are counted with ``connection.execute_wrapper`` (a counter, nothing kept);
``execute_values`` pages sent on the raw psycopg2 cursor (the lock's batched ``UPDATE …
FROM (VALUES …)``) are not counted. Peak RSS is ``VmHWM`` of ``/proc/self/status``,
reset before each step (``/proc/self/clear_refs``), so it is that step's own peak; the
process's ``ru_maxrss`` is printed at the end. ``--profile report|lock|year|people``
runs that step once more (the lock: its one run) under cProfile and prints the top
functions. ``--keep`` reuses a database an earlier run built with the same ``--staff``
(no drop, no build); a locked December is then not locked again.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import io
import pstats
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from benchdb import configure_django, database_settings, recreate_database

YEAR, MONTH = 2026, 12
SEED = 0.2026  # setseed() of the SQL random()
WORK_ITEMS = 3
TODAY = datetime.date(YEAR + 1, 1, 8)  # the reports judge lateness on the day after submission
ONCE_OVER = 60  # seconds: a read step slower than this on its first run is not repeated

# The locality's month report: the per-unit stand-in until the locality report lands.
REPORT = "locality_report"  # or "month_report" (the per-unit stand-in)


# --- Measuring -------------------------------------------------------------------------


class QueryCounter:
    """Counts the queries sent through Django's cursors (an execute wrapper)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def reset_peak() -> None:
    """Reset VmHWM (Linux ≥ 4.0): the next reading is the peak from now on."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


def memory_mib(field: str) -> float:
    """``VmHWM`` (the peak) or ``VmRSS`` (now) of this process, in MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Run:
    seconds: float
    queries: int
    peak: float
    result: object = None
    cpu: float = 0.0  # this process's CPU seconds (PostgreSQL's are not in it)
    grown: float = 0.0  # the peak above the resident size at the start, MiB


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(work: Callable[[], object]) -> Run:
    from django.db import connection

    counter = QueryCounter()
    reset_peak()
    before = memory_mib("VmRSS")
    with connection.execute_wrapper(counter):
        started, cpu = time.perf_counter(), cpu_seconds()
        result = work()
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    peak = memory_mib("VmHWM")
    return Run(seconds, counter.count, peak, result, cpu, peak - before)


def repeated(work: Callable[[], object], times: int) -> Run:
    """The median run of ``times`` (by seconds), with the highest peak of them."""
    runs = [measure(work)]
    if runs[0].seconds > ONCE_OVER:
        print(f"      one run only: {runs[0].seconds:.1f} s > {ONCE_OVER} s", flush=True)
    else:
        runs += [measure(work) for _ in range(times - 1)]
    middle = sorted(runs, key=lambda run: run.seconds)[(len(runs) - 1) // 2]
    middle.peak = max(run.peak for run in runs)
    middle.grown = max(run.grown for run in runs)
    if len(runs) > 1:
        spread = ", ".join(f"{run.seconds:.3f}" for run in runs)
        print(f"      runs: {spread} s", flush=True)
    return middle


def profiled(label: str, work: Callable[[], object], top: int = 25) -> object:
    profile = cProfile.Profile()
    result = profile.runcall(work)
    for order in ("cumulative", "tottime"):
        text = io.StringIO()
        pstats.Stats(profile, stream=text).strip_dirs().sort_stats(order).print_stats(top)
        print(f"\n--- profile of {label}, by {order} ---")
        print("\n".join(text.getvalue().splitlines()[4:]))
    return result


@dataclass
class Row:
    step: str
    run: Run
    floor: Run | None
    rows: int
    note: str = ""


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        print(f"  → {self.line(row)}", flush=True)

    @staticmethod
    def line(row: Row) -> str:
        floor = row.floor.seconds if row.floor else None
        ratio = f"{row.run.seconds / floor:9.1f}" if floor else f"{'':>9}"
        floor_text = f"{floor:9.3f}" if floor is not None else f"{'':>9}"
        rate = row.rows / row.run.seconds if row.run.seconds else 0
        return (
            f"{row.step:<38} {row.run.seconds:9.3f} {floor_text} {ratio} {row.run.cpu:8.2f} "
            f"{rate:11,.0f} {row.run.queries:9,d} {row.run.peak:9.0f} {row.run.grown:7.0f}  "
            f"{row.note}"
        )

    def print(self) -> None:
        header = (
            f"{'step':<38} {'seconds':>9} {'floor s':>9} {'ratio':>9} {'CPU s':>8} "
            f"{'rows/s':>11} {'queries':>9} {'peak MiB':>9} {'+MiB':>7}"
        )
        print("\n" + header)
        print("-" * len(header))
        for row in self.rows:
            print(self.line(row))


def setup_step(label: str, work: Callable[[], object]) -> object:
    started = time.perf_counter()
    result = work()
    print(f"  build: {label:<58} {time.perf_counter() - started:7.1f} s", flush=True)
    return result


# --- Building --------------------------------------------------------------------------


def sql(statement: str, params=()) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def fetch(statement: str, params=()) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


# A total's level on the shipped bands (90 / 70 / 50 / 0).
LEVEL_OF = "CASE WHEN {t} >= 90 THEN 1 WHEN {t} >= 70 THEN 2 WHEN {t} >= 50 THEN 3 ELSE 4 END"


def open_month():
    from scoring.cycle import periods

    opened = periods.open_period(YEAR, MONTH)
    print(
        f"         {opened.created:,d} sheets, {len(opened.without_set)} without a set, "
        f"{len(opened.without_evaluator)} without an evaluator"
    )
    return opened.period


def excuse_some(period) -> int:
    """About 1% absent for good cause the whole month: an absence each, sheet excused."""
    from scoring.cycle.models import AbsenceReason

    reason = AbsenceReason.objects.order_by("pk").first()
    sql(
        "INSERT INTO scoring_absence (staff_id, reason_id, start_date, end_date, note, "
        "recorded_at) SELECT staff_id, %s, %s, %s, '', now() FROM scoring_evaluation "
        "WHERE period_id = %s AND staff_id %% 97 = 3",
        [reason.pk, f"{YEAR}-{MONTH:02d}-01", f"{YEAR}-{MONTH:02d}-31", period.pk],
    )
    return sql(
        "UPDATE scoring_evaluation SET state = 'excused' WHERE period_id = %s "
        "AND staff_id %% 97 = 3",
        [period.pk],
    )


def score_lines(period) -> int:
    """One score for every line of each sheet's set: hand-scored lines at 70–100% of
    their maximum (the evaluator lowers one in five by a point), the task line scored
    too (it is computed from the work items), a deduction on one line in a hundred."""
    sql("SELECT setseed(%s)", [SEED])
    return sql(
        """
        INSERT INTO scoring_criterionscore
            (evaluation_id, criterion_id, self_points, self_reason, final_points, final_comment)
        SELECT id, criterion_id, points, '',
               CASE WHEN points >= 1 AND random() < 0.2 THEN points - 1 ELSE points END, ''
        FROM (
            SELECT e.id, c.id AS criterion_id,
                   CASE
                     WHEN c.kind IN ('manual', 'task_result')
                       THEN round(c.max_points * (0.7 + 0.3 * random()) * 2) / 2
                     WHEN c.kind = 'deduction' AND random() < 0.01
                       THEN least(c.max_points, 2)
                   END AS points
            FROM scoring_evaluation e
            JOIN scoring_criteriongroup g ON g.criteria_set_id = e.criteria_set_id
            JOIN scoring_criterion c ON c.group_id = g.id
            WHERE e.period_id = %s AND e.state <> 'excused'
        ) AS lines
        """,
        [period.pk],
    )


def plan_work(period) -> int:
    """Three work items a sheet: mostly done, one in ten delivered late."""
    from scoring.criteria.models import WorkProduct

    products = list(
        WorkProduct.objects.filter(active=True).order_by("pk").values_list("pk", flat=True)
    )
    return sql(
        """
        INSERT INTO scoring_workitem
            (evaluation_id, product_id, quantity, deadline, description, done, delays,
             major_errors, objective_cause, objective_cause_note)
        SELECT e.id, (%s::bigint[])[1 + (e.id + n) %% cardinality(%s::bigint[])],
               1 + floor(random() * 4), %s::date + floor(random() * 24)::int, '',
               random() < 0.95, (random() < 0.1)::int, 0, false, ''
        FROM scoring_evaluation e CROSS JOIN generate_series(1, %s) AS n
        WHERE e.period_id = %s AND e.state <> 'excused'
        """,
        [products, products, f"{YEAR}-{MONTH:02d}-05", WORK_ITEMS, period.pk],
    )


def evaluate_all(period) -> int:
    """Every sheet not excused evaluated: totals from its lines, its level from them."""
    sql("UPDATE scoring_period SET state = 'evaluation' WHERE id = %s", [period.pk])
    total = (
        "least(100, greatest(0, sum(CASE WHEN c.kind = 'deduction' THEN -1 ELSE 1 END "
        "* coalesce(s.{points}, 0))))"
    )
    final = "coalesce(s.final_points, s.self_points)"
    return sql(
        f"""
        UPDATE scoring_evaluation e
        SET state = 'approved', self_total = t.self_total, final_total = t.final_total,
            level = {LEVEL_OF.format(t="t.final_total")},
            plan_approved_at = %s::timestamptz, submitted_at = %s::timestamptz,
            decided_at = %s::timestamptz
        FROM (
            SELECT s.evaluation_id, {total.format(points="self_points")} AS self_total,
                   {total.replace("s.{points}", final)} AS final_total
            FROM scoring_criterionscore s JOIN scoring_criterion c ON c.id = s.criterion_id
            JOIN scoring_evaluation x ON x.id = s.evaluation_id
            WHERE x.period_id = %s
            GROUP BY s.evaluation_id
        ) AS t
        WHERE e.id = t.evaluation_id
        """,
        [
            f"{YEAR}-{MONTH:02d}-04 09:00+07",
            f"{YEAR + 1}-01-02 16:00+07",
            f"{YEAR + 1}-01-06 10:00+07",
            period.pk,
        ],
    )


def submit_units(period) -> int:
    """Every unit with sheets has submitted its month report (its sheets are held)."""
    return sql(
        "INSERT INTO scoring_unitmonth (period_id, unit_id, submitted_at, submitted_by_name, "
        "reopen_reason, reopenings) SELECT DISTINCT period_id, unit_id, %s::timestamptz, "
        "'bench', '', 0 FROM scoring_evaluation WHERE period_id = %s",
        [f"{YEAR + 1}-01-07 15:00+07", period.pk],
    )


def earlier_months(period) -> int:
    """January to November, locked, with frozen totals: December's sheets copied."""
    from scoring.cycle.periods import default_deadlines

    sql("SELECT setseed(%s)", [SEED / 2])
    created = 0
    for month in range(1, MONTH):
        deadlines = default_deadlines(YEAR, month)
        (pk,) = fetch(
            "INSERT INTO scoring_period (year, month, state, plan_deadline, self_deadline, "
            "evaluation_deadline, opened_at, revision) VALUES (%s, %s, 'evaluation', %s, %s, "
            "%s, now(), 0) RETURNING id",
            [YEAR, month, *deadlines.values()],
        )[0]
        # Three uniforms averaged: a bell from 40 to 100, about 72 on average, so most
        # months are level 2, a good share 1 or 3, a few 4; one in a hundred excused.
        created += sql(
            f"""
            INSERT INTO scoring_evaluation
                (period_id, staff_id, criteria_set_id, unit_id, position_id, evaluator_id,
                 council_id, route_rule_id, route_override_id, state, plan_approved_at,
                 self_total, final_total, level, explanation, return_comment,
                 submitted_at, decided_at, version)
            SELECT %s, staff_id, criteria_set_id, unit_id, position_id, evaluator_id,
                   council_id, route_rule_id, route_override_id,
                   CASE WHEN absent THEN 'excused' ELSE 'approved' END, NULL,
                   CASE WHEN absent THEN NULL ELSE least(100, total + 2) END,
                   CASE WHEN absent THEN NULL ELSE total END,
                   CASE WHEN absent THEN NULL ELSE {LEVEL_OF.format(t="total")} END,
                   CASE WHEN absent THEN '{{"absent": true}}'::jsonb ELSE '{{}}'::jsonb END,
                   '', NULL, NULL, 2
            FROM (
                SELECT *, random() < 0.01 AS absent,
                       round((40 + 60 * (random() + random() + random()) / 3)::numeric, 2)
                         AS total
                FROM scoring_evaluation WHERE period_id = %s
            ) AS december
            """,
            [pk, period.pk],
        )
        sql(
            "UPDATE scoring_period SET state = 'closed', closed_at = %s::timestamptz WHERE id = %s",
            [f"{YEAR}-{month:02d}-28 17:00+07", pk],
        )
    return created


def vacuum_sheets() -> None:
    sql("VACUUM ANALYZE scoring_evaluation")


def vacuum() -> None:
    """What autovacuum does after a load this size: the planner's statistics, the map of
    visible pages (the table was just rewritten by the evaluation's UPDATE)."""
    for table in ("scoring_evaluation", "scoring_criterionscore", "scoring_workitem"):
        sql(f"VACUUM ANALYZE {table}")
    sql("ANALYZE")


def build(staff: int):
    from scoring.demo import locality

    seeded = setup_step(f"seed_demo(staff={staff:,d})", lambda: locality.seed_demo(staff=staff))
    print(f"         {seeded.units_created:,d} units, {seeded.staff_created:,d} staff")
    period = setup_step(f"open_period({YEAR}, {MONTH})", open_month)
    count = setup_step("excuse ~1% (absences)", lambda: excuse_some(period))
    print(f"         {count:,d} excused")
    count = setup_step("a score for every line (INSERT … SELECT)", lambda: score_lines(period))
    print(f"         {count:,d} criterion scores")
    count = setup_step(f"{WORK_ITEMS} work items a sheet", lambda: plan_work(period))
    print(f"         {count:,d} work items")
    count = setup_step("evaluate every sheet (totals, levels)", lambda: evaluate_all(period))
    print(f"         {count:,d} sheets evaluated")
    count = setup_step("every unit's month report submitted", lambda: submit_units(period))
    print(f"         {count:,d} unit months submitted")
    count = setup_step(
        f"months 1–{MONTH - 1} locked (sheets copied)", lambda: earlier_months(period)
    )
    print(f"         {count:,d} sheets in earlier months")
    setup_step("VACUUM ANALYZE", vacuum)
    return period


# --- The steps and their floors ----------------------------------------------------------


def report_month_report(period) -> int:
    """Stand-in: the unit month report of every unit with sheets, one after the other."""
    from scoring.cycle.closing import month_units
    from scoring.oversight.month_report import month_report

    return sum(len(month_report(unit, period, TODAY).lines) for unit in month_units(period))


def report_locality(period) -> int:
    """The office's locality report: every unit side by side (with the objectivity flags)."""
    from scoring.oversight.locality import locality_report

    report = locality_report(period, today=TODAY)
    return sum(row.figures.sheets for row in report.rows)


REPORTS = {"month_report": report_month_report, "locality_report": report_locality}
STEP_LABELS = {
    "locality_report": "1. locality_report (1 call)",
    "month_report": "1b. month_report (every unit)",
}


def report_floor(period) -> int:
    """Each unit's counts per level, absent, pending, late, mean; its submission."""
    from django.conf import settings

    rows = fetch(
        """
        SELECT e.unit_id,
               count(*) FILTER (WHERE e.state = 'approved' AND e.level = 1),
               count(*) FILTER (WHERE e.state = 'approved' AND e.level = 2),
               count(*) FILTER (WHERE e.state = 'approved' AND e.level = 3),
               count(*) FILTER (WHERE e.state = 'approved' AND e.level = 4),
               count(*) FILTER (WHERE e.state = 'excused'),
               count(*) FILTER (WHERE e.state NOT IN ('approved', 'excused')),
               avg(e.final_total) FILTER (WHERE e.state = 'approved'),
               count(*) FILTER (WHERE e.state <> 'excused' AND (
                   (e.state NOT IN ('submitted', 'approved') AND %(today)s > %(self)s)
                   OR (e.state <> 'approved' AND %(today)s > %(evaluation)s)
                   OR (e.submitted_at AT TIME ZONE %(zone)s)::date > %(self)s
                   OR (e.decided_at AT TIME ZONE %(zone)s)::date > %(evaluation)s)),
               max(u.submitted_at), max(u.submitted_by_name)
        FROM scoring_evaluation e
        LEFT JOIN scoring_unitmonth u ON u.period_id = e.period_id AND u.unit_id = e.unit_id
        WHERE e.period_id = %(period)s
        GROUP BY e.unit_id
        """,
        {
            "period": period.pk,
            "today": TODAY,
            "self": period.self_deadline,
            "evaluation": period.evaluation_deadline,
            "zone": settings.TIME_ZONE,
        },
    )
    return len(rows)


def lock(period):
    from scoring.cycle import periods

    return periods.close_period(period)


def lock_floor(period) -> int:
    """The same rows updated once, through the same triggers, then rolled back."""
    from django.db import transaction

    with transaction.atomic():
        touched = sql(
            "UPDATE scoring_evaluation SET final_total = final_total WHERE period_id = %s",
            [period.pk],
        )
        transaction.set_rollback(True)
    return touched


def year_units(period) -> int:
    """The year report of every unit, one after the other: how many person-years."""
    from scoring.cycle.closing import month_units
    from scoring.rollup.years import unit_year

    return sum(len(unit_year(unit, YEAR).people) for unit in month_units(period))


def year_people() -> int:
    """Everyone's year in one call of person_years."""
    from scoring.organisation.models import Staff
    from scoring.rollup.years import person_years

    people = Staff.objects.filter(evaluations__period__year=YEAR).distinct()
    return len(person_years(people.only("pk", "full_name", "code"), YEAR))


def year_floor() -> int:
    rows = fetch(
        """
        SELECT e.staff_id, avg(e.final_total) FILTER (WHERE e.state <> 'excused'),
               count(*) FILTER (WHERE e.state <> 'excused'), count(*)
        FROM scoring_evaluation e JOIN scoring_period p ON p.id = e.period_id
        WHERE p.year = %s
        GROUP BY e.staff_id
        """,
        [YEAR],
    )
    return len(rows)


def sheets_of(period) -> int:
    from scoring.cycle.models import Evaluation

    return Evaluation.objects.filter(period=period).count()


def run(args) -> None:
    from scoring.calendar.models import Period
    from scoring.cycle.models import Evaluation

    period = Period.objects.get(year=YEAR, month=MONTH)
    sheets = sheets_of(period)
    year_sheets = Evaluation.objects.filter(period__year=YEAR).count()
    units = len({u for u in Evaluation.objects.filter(period=period).values_list("unit_id")})
    print(f"\n{sheets:,d} sheets in {units:,d} units; {year_sheets:,d} sheets in {YEAR}")
    print(f"report: {REPORT}; each read step {args.repeat}× (median)\n", flush=True)
    table = Table()
    times = args.repeat

    steps = set(args.steps.split(","))
    if "report" in steps:
        report_step(table, period, REPORT, sheets, times, args.profile)
    if "units" in steps and REPORT != "month_report":
        report_step(table, period, "month_report", sheets, times, args.profile)
    if "lock" in steps:
        lock_step(table, period, sheets, times, args.profile)
    if steps & {"year", "people"}:
        year_step(table, period, year_sheets, times, args.profile, steps)
    table.print()
    summary(period)


def report_step(table, period, name, sheets, times, profile) -> None:
    report = REPORTS[name]
    label = STEP_LABELS[name]
    print(f"{label}", flush=True)
    done = repeated(lambda: report(period), times)
    floor = repeated(lambda: report_floor(period), times)
    note = f"{floor.result:,d} units"
    table.add(Row(label, done, floor, sheets, note))
    if profile == ("report" if name == REPORT else "units"):
        profiled(name, lambda: report(period))


def lock_step(table, period, sheets, times, profile) -> None:
    print("2. lock", flush=True)
    if period.is_closed:
        print("   December is locked already (--keep): not locked again")
    else:
        floor = repeated(lambda: lock_floor(period), times)
        vacuum_sheets()  # the floor's rolled-back rows, out of the lock's way
        if profile == "lock":
            done = measure(
                lambda: profiled("close_period (wall time with cProfile)", lambda: lock(period))
            )
        else:
            done = measure(lambda: lock(period))
        period.refresh_from_db()
        assert period.is_closed, "close_period left the month open"
        table.add(Row("2. close_period (once)", done, floor, sheets, "1 run"))


def year_step(table, period, year_sheets, times, profile, steps) -> None:
    print("3. year roll-up", flush=True)
    floor = repeated(year_floor, times)
    if "year" in steps:
        done = repeated(lambda: year_units(period), times)
        note = f"{done.result:,d} person-years; floor {floor.result:,d} people"
        table.add(Row("3a. unit_year (every unit)", done, floor, year_sheets, note))
        if profile == "year":
            profiled("unit_year for every unit", lambda: year_units(period))
    if "people" in steps:
        done = repeated(year_people, times)
        table.add(Row("3b. person_years (everyone, 1 call)", done, floor, year_sheets, ""))
        if profile == "people":
            profiled("person_years", year_people)


def summary(period) -> None:
    from scoring.cycle.models import Evaluation

    print(
        "rows: sheets of the month (1, 2) or of the year (3); floor: the SQL of the step; "
        "CPU s: this process's (Python's) CPU seconds"
    )
    levels = Evaluation.objects.filter(period=period).values_list("level").order_by("level")
    counted: dict = {}
    for (level,) in levels:
        counted[level] = counted.get(level, 0) + 1
    print(
        "December's levels after the lock: " + ", ".join(f"{k}: {v:,d}" for k, v in counted.items())
    )
    print(
        "peak MiB: the step's peak resident size (VmHWM, reset before it); +MiB: how far "
        "it rose above the size at the step's start (memory freed by an earlier step "
        "stays resident in the process)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each read step")
    parser.add_argument("--keep", action="store_true", help="reuse an earlier build")
    parser.add_argument("--profile", choices=["report", "units", "lock", "year", "people"])
    parser.add_argument(
        "--steps", default="report,units,lock,year,people", help="which steps (comma-separated)"
    )
    args = parser.parse_args()

    config = database_settings()
    if not args.keep:
        recreate_database(config)
    configure_django()
    from django.core.management import call_command

    from scoring.calendar.models import Period
    from scoring.organisation.models import Staff

    if args.keep and Period.objects.filter(year=YEAR, month=MONTH).exists():
        have = Staff.objects.count()
        if have != args.staff:
            sys.exit(f"--keep: the database has {have:,d} staff, not {args.staff:,d}")
        print(f"reusing {config['NAME']} ({have:,d} staff)")
    else:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrated {config['NAME']} in {time.perf_counter() - started:.1f} s (not counted)")
        started = time.perf_counter()
        build(args.staff)
        print(f"  build: {'total':<58} {time.perf_counter() - started:7.1f} s")
    run(args)


if __name__ == "__main__":
    main()
