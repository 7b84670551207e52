"""Benchmark: resolve the evaluator of every person for one month, and count the queries.

Run from the repository root after ``bench/bench_seed.py`` has seeded the database::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_portal \\
        .venv/bin/python bench/bench_routes.py --year 2024 --month 5

Only reads the database. Prints each run's time, people per second and the number of
SQL queries (which must not grow with the number of people).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from benchdb import configure_django, database_settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--month", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    database_settings()
    configure_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from scoring.models import Staff
    from scoring.organisation.routing import resolve_routes

    print(f"{Staff.objects.count()} staff in the database")
    for run in range(1, args.repeat + 1):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            routes = resolve_routes(args.year, args.month)
            elapsed = time.perf_counter() - started
        problems = Counter(route.problem for route in routes.values() if route.problem)
        print(
            f"run {run}: resolved {len(routes)} routes for {args.month:02d}/{args.year} in "
            f"{elapsed:.2f} s ({len(routes) / elapsed:,.0f} people/s), "
            f"{len(queries.captured_queries)} queries, unresolved: {dict(problems)}"
        )


if __name__ == "__main__":
    main()
