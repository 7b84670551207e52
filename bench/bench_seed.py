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
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def database_settings() -> dict:
    """The database named by DATABASE_URL, which must be PostgreSQL."""
    import dj_database_url

    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("Set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/bench_portal")
    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        sys.exit("The benchmark measures PostgreSQL: DATABASE_URL must be postgres://…")
    return config


def recreate_database(config: dict) -> None:
    """Drop and create the database in ``config`` (only if its name starts with "bench")."""
    import psycopg2
    from psycopg2 import sql

    name = config["NAME"]
    if not name.startswith("bench"):
        sys.exit(f"Refusing to drop {name!r}: use a database whose name starts with 'bench'.")
    connection = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        database = sql.Identifier(name)
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(database))
    connection.close()


def configure_django() -> None:
    """Load the development settings (with DEBUG off, so queries are not kept in memory)."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()


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
