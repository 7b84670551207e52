"""Benchmark: the staff import at N rows: reading the file, the preview, the real import.

Run from the repository root against a dedicated PostgreSQL database::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import \\
        .venv/bin/python bench/bench_import.py --rows 20000

The database named in ``DATABASE_URL`` is dropped and created again and migrated (not
counted); the script refuses a database whose name does not start with ``bench``. It
builds a province, a district and one commune per 100 rows, with the commune posts of
``tests/office_files.py``, and writes an N-row staff file of new people (``--layout
plain``: the layout :class:`StaffResource` reads today; ``--layout office``: the commune
offices' layout, title block and all, which only the rewritten import will read).

Then, each in a forked child process (so that one step's memory is not another's):

a. ``read_dataset``: the file's bytes to a dataset;
b. the preview: ``run_import(StaffResource(), dataset, dry_run=True)``;
c. the import: ``run_import(StaffResource(), dataset, dry_run=False)``;

printing seconds, rows per second and the child's peak resident memory (``ru_maxrss``,
which starts at the process's size when it forks). With ``--tracemalloc`` (the default)
each step runs a second time under ``tracemalloc`` for its peak of Python allocations,
which is slower and so is timed apart (the people the first import wrote are deleted
before). Before that, a 500-row file (``--query-rows``) is previewed and imported under
``CaptureQueriesContext`` for the SQL queries per row. ``--profile`` profiles the preview
with cProfile instead and prints the 25 most expensive calls by cumulative time.

The steps are plain functions (``read_step``, ``preview_step``, ``import_step``); the
measuring (``measure``) takes any function of no argument, so the background job that
will run imports can be measured the same way.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import datetime
import io
import os
import pickle
import pstats
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchdb import configure_django, database_settings, recreate_database

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import office_files  # noqa: E402  (pure file builders: no Django needed)

PER_COMMUNE = 100
START = datetime.date(2019, 1, 1)


# The locality and the file ------------------------------------------------------------


def commune_codes(rows: int) -> list[str]:
    return [f"XA{number:04d}" for number in range(1, -(-rows // PER_COMMUNE) + 1)]


def build_locality(rows: int) -> None:
    """A province, a district and its communes, and the commune posts, as a seed would."""
    from scoring.models import Position, Unit, UnitKind

    kinds = {kind.code: kind for kind in UnitKind.objects.all()}
    province = Unit.add_root(
        instance=Unit(code="T-HG", name="Tỉnh Hà Giang", kind=kinds["province"], valid_from=START)
    )
    district = province.add_child(
        instance=Unit(code="H-QB", name="Huyện Quản Bạ", kind=kinds["district"], valid_from=START)
    )
    for code in commune_codes(rows):
        district = Unit.objects.get(pk=district.pk)  # a sibling added moves numchild
        district.add_child(
            instance=Unit(code=code, name=f"Xã {code}", kind=kinds["commune"], valid_from=START)
        )
    Position.objects.bulk_create(
        Position(code=spec.code, name=spec.name, is_head=spec.is_head, rank=spec.rank)
        for spec in office_files.COMMUNE_POSITIONS
    )


def people(rows: int) -> list[office_files.Person]:
    """``rows`` people, 100 to a commune, with the commune's posts."""
    made: list[office_files.Person] = []
    for code in commune_codes(rows):
        made += office_files.commune_people(min(PER_COMMUNE, rows - len(made)), unit_code=code)
    return made


def staff_file(rows: int, layout: str, fmt: str) -> tuple[bytes, str]:
    everyone = people(rows)
    if layout == "office":
        made = office_files.office_staff_list(everyone, fmt=fmt)
        return made.content, made.filename
    return office_files.plain_staff_file(everyone, fmt=fmt)


def delete_staff() -> None:
    """Forget every person and post (to import the same new people again)."""
    from django.db import connection

    from scoring.models import Staff

    with connection.cursor() as cursor:
        cursor.execute(f'TRUNCATE "{Staff._meta.db_table}" CASCADE')


# The work -------------------------------------------------------------------------------


def read_step(content: bytes, filename: str):
    """The office's file read as the import reads it (the table found, rows numbered)."""
    from scoring.lib.spreadsheets import read_table
    from scoring.organisation.resources import StaffResource

    return read_table(content, filename, StaffResource().vocabulary())


def preview_step(dataset):
    from scoring.lib.spreadsheets import run_import
    from scoring.organisation.resources import StaffResource

    return run_import(StaffResource(), dataset, dry_run=True)


def import_step(dataset):
    from scoring.lib.spreadsheets import run_import
    from scoring.organisation.resources import StaffResource

    return run_import(StaffResource(), dataset, dry_run=False)


def job_step(content: bytes, filename: str, kind: str, confirmed=None):
    """The whole background path, as the admin's page starts it: the file stored, a job
    started, and the worker's task run (``run_job``, what ``db_worker`` calls)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from scoring.jobs import runner
    from scoring.organisation.resources import StaffResource
    from scoring.sheets.jobs import run_payload
    from scoring.sheets.running import stash_upload

    user, _created = get_user_model().objects.get_or_create(username="bench", is_superuser=True)
    upload = stash_upload(content, filename, "staff", user)
    with transaction.atomic():
        job = runner.start(kind, user, run_payload(StaffResource, "staff", None, upload, confirmed))
    runner.run_job.call(job.pk)
    job.refresh_from_db()
    return job


def outcome(result) -> str:
    """What a step's result says, in a few words."""
    from import_export.results import Result

    from scoring.jobs.models import Job
    from scoring.lib.spreadsheets import totals

    if isinstance(result, Job):
        counted = ", ".join(f"{k} {v:,d}" for k, v in result.outcome.get("totals", {}).items())
        return f"job {result.state}: {counted}{result.error}"
    if not isinstance(result, Result):
        return f"{len(result.dataset):,d} rows read from row {result.layout.header_row + 1}"
    counted = totals(result)
    problems = [p.text() for p in _problems(result)[:2]]
    return ", ".join(f"{key} {value:,d}" for key, value in counted.items()) + (
        f"; first problems: {problems}" if problems else ""
    )


def _problems(result):
    from scoring.organisation.resources import StaffResource

    return StaffResource().problems(result)


# The measuring --------------------------------------------------------------------------


@dataclass
class Figures:
    seconds: float
    cpu_seconds: float  # the child's own CPU time: what a busy machine does not inflate
    maxrss_mib: float  # the child's peak resident memory
    traced_mib: float | None  # tracemalloc's peak, when traced
    note: str


def _run_in_child(work: Callable[[], object], trace: bool, describe) -> Figures:
    """Run ``work`` and measure it; called in the forked child."""
    from django.db import connections

    connections.close_all()  # the parent's connection is not the child's to use
    if trace:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    result = work()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    traced = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    tracemalloc.stop()
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Figures(seconds, cpu, maxrss, traced, describe(result))


def measure(work: Callable[[], object], *, trace: bool = False, describe=None) -> Figures:
    """``work()`` in a forked child process: its time, peak memory and outcome.

    A child's ``ru_maxrss`` starts at the parent's resident size when it forks, so it is
    the step's own peak on top of what the parent holds (Django, the file, the dataset).
    What the work writes to the database stays written.
    """
    from django.db import connections

    connections.close_all()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(reader)
        code = 0
        try:
            payload = pickle.dumps(_run_in_child(work, trace, describe or outcome))
        except BaseException as error:  # reported by the parent
            payload, code = pickle.dumps(RuntimeError(repr(error))), 1
        with os.fdopen(writer, "wb") as out:
            out.write(payload)
        os._exit(code)
    os.close(writer)
    with os.fdopen(reader, "rb") as source:
        answer = pickle.loads(source.read())
    os.waitpid(pid, 0)
    if isinstance(answer, Exception):
        raise answer
    return answer


def report(label: str, rows: int, figures: Figures) -> None:
    traced = "" if figures.traced_mib is None else f", traced peak {figures.traced_mib:7.1f} MiB"
    print(
        f"{label:<30} {figures.seconds:8.2f} s {rows / figures.seconds:9,.0f} rows/s  "
        f"cpu {figures.cpu_seconds:7.2f} s  "
        f"maxrss {figures.maxrss_mib:7.1f} MiB{traced}  ({figures.note})",
        flush=True,
    )


def count_queries(rows: int, layout: str, fmt: str) -> None:
    """The SQL queries of a preview and an import of ``rows`` new people, per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dataset = read_step(*staff_file(rows, layout, fmt))
    for label, step in (("preview", preview_step), ("import", import_step)):
        # The debug cursor keeps at most 9,000 queries, and the count is of those kept.
        connection.queries_log = collections.deque()
        with CaptureQueriesContext(connection) as queries:
            step(dataset)
        counted = len(queries)  # read before the log is emptied
        kinds = collections.Counter(query["sql"].split()[0] for query in queries.captured_queries)
        connection.queries_log = collections.deque()
        print(
            f"queries, {label} of {rows:,d} rows: {counted:,d} = {counted / rows:.2f} per row "
            f"({', '.join(f'{kind} {n:,d}' for kind, n in kinds.most_common())})",
            flush=True,
        )
    delete_staff()


def profile(label: str, work: Callable[[], object], top: int = 25) -> None:
    """``work()`` under cProfile: the ``top`` calls by cumulative time."""
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    result = work()
    profiler.disable()
    print(f"{label}: {time.perf_counter() - started:.1f} s under cProfile ({outcome(result)})")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    print(out.getvalue(), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--layout", choices=("plain", "office"), default="plain")
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    parser.add_argument("--query-rows", type=int, default=500, help="0: do not count queries")
    parser.add_argument("--no-tracemalloc", action="store_true", help="skip the traced runs")
    parser.add_argument("--profile", action="store_true", help="profile reading and preview")
    parser.add_argument(
        "--jobs-only",
        action="store_true",
        help="time only the background path (d, e): for the largest files",
    )
    args = parser.parse_args()

    config = database_settings()
    recreate_database(config)
    configure_django()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    build_locality(args.rows)
    print(
        f"migrated {config['NAME']} and built {len(commune_codes(args.rows))} communes "
        f"in {time.perf_counter() - started:.1f} s (not counted)"
    )
    started = time.perf_counter()
    content, filename = staff_file(args.rows, args.layout, args.format)
    print(
        f"wrote {filename}: {args.rows:,d} rows, {len(content) / 2**20:.1f} MiB, "
        f"in {time.perf_counter() - started:.1f} s (not counted)",
        flush=True,
    )
    dataset = read_step(content, filename)
    if args.profile:
        profile("read_dataset", lambda: read_step(content, filename))
        profile("preview", lambda: preview_step(dataset))
        return
    if args.query_rows:
        count_queries(args.query_rows, args.layout, args.format)
    passes = [False] if args.no_tracemalloc else [False, True]
    for trace in passes:
        suffix = " (traced)" if trace else ""
        report(
            f"a. read_dataset{suffix}",
            args.rows,
            measure(lambda: read_step(content, filename), trace=trace),
        )
        if not args.jobs_only:
            report(
                f"b. preview{suffix}",
                args.rows,
                measure(lambda: preview_step(dataset), trace=trace),
            )
            report(
                f"c. import{suffix}", args.rows, measure(lambda: import_step(dataset), trace=trace)
            )
            delete_staff()
        from scoring.sheets.jobs import IMPORT, PREVIEW

        for label, kind in (("d. preview job", PREVIEW), ("e. import job", IMPORT)):
            report(
                f"{label}{suffix}",
                args.rows,
                measure(lambda kind=kind: job_step(content, filename, kind, {}), trace=trace),
            )
        delete_staff()


if __name__ == "__main__":
    main()
