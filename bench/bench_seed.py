"""Benchmark: seed the demo locality with N staff and print the time it took.

Run from the repository root against a dedicated PostgreSQL database::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_portal \\
        .venv/bin/python bench/bench_seed.py --staff 20000

The database named in ``DATABASE_URL`` is dropped and created again, then migrated, so
each run starts empty; to protect real data the script refuses a database whose name
does not start with ``bench``, and touches no other database. ``--keep`` skips the
drop (the seed then only adds what is missing, which times the idempotent path).
"""

from __future__ import annotations

import argparse
import io
import time

from benchdb import configure_django, database_settings, recreate_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true", help="keep the database as it is")
    args = parser.parse_args()

    config = database_settings()
    if not args.keep:
        recreate_database(config)
    configure_django()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated {config['NAME']} in {time.perf_counter() - started:.1f} s")

    for label in ("seed", "re-run"):
        output = io.StringIO()
        started = time.perf_counter()
        call_command("seed_demo", staff=args.staff, stdout=output)
        elapsed = time.perf_counter() - started
        summary = output.getvalue().splitlines()[0]
        print(f"{label} --staff {args.staff}: {elapsed:.2f} s ({summary})")


if __name__ == "__main__":
    main()
