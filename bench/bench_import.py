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
    from scoring.lib.spreadsheets import read_dataset

    return read_dataset(content, filename)


def preview_step(dataset):
    from scoring.lib.spreadsheets import run_import
    from scoring.organisation.resources import StaffResource

    return run_import(StaffResource(), dataset, dry_run=True)


def import_step(dataset):
    from scoring.lib.spreadsheets import run_import
    from scoring.organisation.resources import StaffResource

    return run_import(StaffResource(), dataset, dry_run=False)


def outcome(result) -> str:
    """What a step's result says, in a few words."""
    from import_export.results import Result

    from scoring.lib.spreadsheets import totals

    if not isinstance(result, Result):
        return f"{len(result):,d} rows read"
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


# Experiments: changes proposed to scoring/, tried by monkeypatching in the child ----------


def patch_loader() -> None:
    """Load the file's existing people in one query, not one query per row."""
    from import_export.instance_loaders import CachedInstanceLoader

    from scoring.organisation.resources import StaffResource

    StaffResource._meta.instance_loader_class = CachedInstanceLoader


def patch_codes() -> None:
    """CodeWidget remembers each code it found (a resource's fields are its own copies,
    so the memory lasts one import); an unknown code is still asked every time."""
    from scoring.lib.spreadsheets import CodeWidget, cell_text

    def clean(self, value, row=None, **kwargs):
        code = cell_text(value)
        if not code:
            return None
        found = self.__dict__.setdefault("found", {}).get(code)
        if found is None:
            found = self.model._default_manager.filter(code=code).first()
            if found is None:
                raise ValueError(self.unknown % {"code": code})
            self.found[code] = found
        return code if self.as_code else found

    CodeWidget.clean = clean


def patch_unique() -> None:
    """full_clean without validate_unique: the code is the import id (an existing code
    loads that person) and repeated codes in the file are refused before."""
    from scoring.lib.spreadsheets import SpreadsheetResource
    from scoring.organisation.resources import StaffResource

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        SpreadsheetResource.validate_instance(self, instance, import_validation_errors, False)

    StaffResource.validate_instance = validate_instance


def patch_savepoint() -> None:
    """No second savepoint per row: import_data_inner already opens one around each row."""
    from import_export.resources import ModelResource

    from scoring.organisation.resources import StaffResource

    StaffResource.save_instance = ModelResource.save_instance


def patch_posts() -> None:
    """The new post by unit and position ids remembered per import, not two gets a row."""
    from scoring.models import Assignment, Position, Unit
    from scoring.organisation.resources import StaffResource

    def after_save_instance(self, instance, row, **kwargs):
        change = instance.post_change
        if change is None or not self.writes(kwargs):
            return
        if change.close is not None:
            change.close.end_date = change.close_on
            change.close.save(update_fields=["end_date"])
        if change.open_unit is not None:
            ids = self.__dict__.setdefault("ids", {})
            for model, code in ((Unit, change.open_unit), (Position, change.open_position)):
                if (model, code) not in ids:
                    ids[model, code] = model.objects.values_list("pk", flat=True).get(code=code)
            Assignment.objects.create(
                staff=instance,
                unit_id=ids[Unit, change.open_unit],
                position_id=ids[Position, change.open_position],
                start_date=change.open_start,
                end_date=change.open_end,
            )

    StaffResource.after_save_instance = after_save_instance


def patch_html_diff() -> None:
    """No HTML diff per row (the preview page then shows the row's cells)."""
    from scoring.organisation.resources import StaffResource

    StaffResource._meta.skip_html_diff = True


PATCHES = {
    "loader": patch_loader,
    "codes": patch_codes,
    "unique": patch_unique,
    "savepoint": patch_savepoint,
    "posts": patch_posts,
    "html_diff": patch_html_diff,
}


def run_experiments(dataset, rows: int, names: list[str]) -> None:
    """The preview of ``dataset`` unpatched, with each named patch, and with them all."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    names = list(PATCHES) if names == ["all"] else names
    trials = [("unpatched", []), *((name, [name]) for name in names), ("all of them", names)]
    for label, patches in trials:

        def work(patches=patches):
            for name in patches:
                PATCHES[name]()
            connection.queries_log = collections.deque()
            with CaptureQueriesContext(connection) as queries:
                result = preview_step(dataset)
            return result, len(queries)

        def describe(answer):
            result, counted = answer
            return f"{counted / rows:.2f} queries/row; {outcome(result)}"

        report(f"preview, {label}", rows, measure(work, describe=describe))
    for label, step in (("import", import_step),):

        def patched(step=step):
            for name in names:
                PATCHES[name]()
            return step(dataset)

        report(f"{label}, all of them", rows, measure(patched))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--layout", choices=("plain", "office"), default="plain")
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    parser.add_argument("--query-rows", type=int, default=500, help="0: do not count queries")
    parser.add_argument("--no-tracemalloc", action="store_true", help="skip the traced runs")
    parser.add_argument("--profile", action="store_true", help="profile reading and preview")
    parser.add_argument(
        "--experiments",
        metavar="NAMES",
        help=f"time the preview with each patch of {', '.join(PATCHES)} (or 'all'), "
        "comma-separated, instead of the steps",
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
    if args.experiments:
        run_experiments(dataset, args.rows, args.experiments.split(","))
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
        report(
            f"b. preview{suffix}", args.rows, measure(lambda: preview_step(dataset), trace=trace)
        )
        report(f"c. import{suffix}", args.rows, measure(lambda: import_step(dataset), trace=trace))
        delete_staff()


if __name__ == "__main__":
    main()
