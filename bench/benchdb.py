"""What every benchmark shares: its own PostgreSQL database, and Django set up on it.

A benchmark drops and recreates the database it is given, so to protect real data it
refuses any database whose name does not start with ``bench``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def database_settings(url: str | None = None) -> dict:
    """The database named by ``url`` (default: DATABASE_URL): PostgreSQL, named bench…."""
    import dj_database_url

    url = url or os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("Set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/bench_portal")
    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        sys.exit("The benchmark measures PostgreSQL: DATABASE_URL must be postgres://…")
    if not config["NAME"].startswith("bench"):
        sys.exit(f"Refusing to drop {config['NAME']!r}: its name must start with 'bench'.")
    return config


def recreate_database(config: dict) -> None:
    """Drop and create the database in ``config`` (checked by :func:`database_settings`)."""
    import psycopg2
    from psycopg2 import sql

    connection = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        database = sql.Identifier(config["NAME"])
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(database))
    connection.close()


def configure_django() -> None:
    """Load the development settings with DEBUG off, so queries are not kept in memory."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
