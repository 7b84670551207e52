"""The restore drill: dump the database, restore the dump into a new database, and show
that nothing was lost: every table has as many rows, and every export of a locked month
is byte for byte the same file (README, "Backups").

It drives PostgreSQL's own tools (``pg_dump -Fc``, ``createdb``, ``pg_restore``,
``dropdb``) with the connection of ``DATABASES["default"]`` (password through
``PGPASSWORD``, never on a command line), and makes the exports with
``manage.py export_month`` run once against each database, so both go through the very
code the portal serves them with.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import psycopg2
from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg2 import sql

from scoring.calendar.models import Period
from scoring.management.month_exports import Difference, compare, fingerprints, month_key

MAX_NAME = 63  # PostgreSQL's longest identifier


class DrillError(Exception):
    """The drill could not run (a tool failed, no PostgreSQL, no locked month)."""


@dataclass
class DrillReport:
    """What the drill found: the databases, the month, and every difference."""

    original: str
    restored: str
    month: str
    dump_bytes: int = 0
    exports: dict[str, str] = field(default_factory=dict)
    differences: list[Difference] = field(default_factory=list)
    tables: int = 0
    rows: int = 0
    row_differences: list[tuple[str, int, int | None]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences and not self.row_differences and bool(self.exports)


def database() -> dict:
    """The default database's settings; a DrillError unless it is PostgreSQL."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        raise DrillError(
            _(
                "The restore drill needs PostgreSQL (set DATABASE_URL=postgres://…); "
                "this database is %(vendor)s."
            )
            % {"vendor": connection.vendor}
        )
    return dict(connection.settings_dict)


def drill_name(name: str, now: datetime.datetime | None = None) -> str:
    """``<db>_drill_<timestamp>``, shortened to PostgreSQL's 63 characters."""
    suffix = f"_drill_{(now or timezone.now()):%Y%m%d%H%M%S}"
    return name[: MAX_NAME - len(suffix)] + suffix


def locked_month(text: str | None = None) -> Period:
    """The month ``text`` (YYYY-MM), which must be locked, or the latest locked month."""
    locked = Period.objects.filter(state=Period.State.CLOSED)
    if text:
        found = next((p for p in locked if month_key(p) == text), None)
        if found is None:
            raise DrillError(_("Month %(month)s is not locked.") % {"month": text})
        return found
    found = locked.order_by("-year", "-month").first()
    if found is None:
        raise DrillError(_("No month is locked yet: the drill compares a locked month."))
    return found


def pg_environment(db: dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def database_url(db: dict, name: str) -> str:
    """A ``DATABASE_URL`` for the database ``name`` on the server of ``db``."""
    user = quote(str(db.get("USER") or ""), safe="")
    password = quote(str(db.get("PASSWORD") or ""), safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = quote(str(db.get("HOST") or ""), safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(name, safe='')}"


def run(command: list[str], env: dict[str, str]) -> str:
    """Run a tool; its output, or a DrillError with what it said on failure."""
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise DrillError(_("%(tool)s is not installed.") % {"tool": command[0]}) from error
    if done.returncode != 0:
        raise DrillError(
            _("%(tool)s failed: %(error)s")
            % {"tool": command[0], "error": (done.stderr or done.stdout).strip()}
        )
    return done.stdout


def dump(db: dict, path: Path) -> None:
    """``pg_dump -Fc`` of the database into ``path`` (the nightly backup's format)."""
    run(["pg_dump", "-Fc", "--no-owner", "-f", str(path), db["NAME"]], pg_environment(db))


def restore(db: dict, path: Path, name: str) -> None:
    """A new database ``name`` holding the dump at ``path``."""
    env = pg_environment(db)
    run(["createdb", "--template=template0", "--encoding=UTF8", name], env)
    run(["pg_restore", "--no-owner", "--exit-on-error", "-d", name, str(path)], env)


def drop(db: dict, name: str) -> None:
    run(["dropdb", "--if-exists", "--force", name], pg_environment(db))


def exports(db: dict, name: str, month: str, folder: Path) -> dict[str, str]:
    """The month's exports made against database ``name``: their sha256 by file name."""
    env = {**os.environ, "DATABASE_URL": database_url(db, name)}
    manage = Path(settings.BASE_DIR) / "manage.py"
    command = [sys.executable, str(manage), "export_month", month, "--output-dir", str(folder)]
    run(command, env)
    return fingerprints(folder)


def row_counts(db: dict, name: str) -> dict[str, int]:
    """The number of rows of every table of the database ``name``."""
    connection = psycopg2.connect(
        dbname=name,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
            )
            tables = [row[0] for row in cursor.fetchall()]
            counts = {}
            for table in tables:
                cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
                counts[table] = cursor.fetchone()[0]
            return counts
    finally:
        connection.close()


def compare_rows(report: DrillReport, original: dict[str, int], restored: dict[str, int]) -> None:
    report.tables, report.rows = len(original), sum(original.values())
    report.row_differences = [
        (table, count, restored.get(table))
        for table, count in original.items()
        if restored.get(table) != count
    ]


def drill(month: str | None = None, keep: bool = False, from_dump: Path | None = None):
    """Run the drill; its report. With ``from_dump`` an existing dump (last night's) is
    restored instead of a fresh one, and the row counts, which may have moved on since,
    are not compared; a locked month's exports must still be the same."""
    db = database()
    period = locked_month(month)
    report = DrillReport(db["NAME"], drill_name(db["NAME"]), month_key(period))
    with tempfile.TemporaryDirectory(prefix="restore-drill-") as work:
        folder = Path(work)
        path = from_dump or folder / "portal.dump"
        if from_dump is None:
            dump(db, path)
        report.dump_bytes = path.stat().st_size
        restore(db, path, report.restored)
        try:
            _check(report, db, folder, compare_counts=from_dump is None)
        finally:
            if not keep:
                drop(db, report.restored)
    return report


def _check(report: DrillReport, db: dict, folder: Path, compare_counts: bool) -> None:
    original = exports(db, report.original, report.month, folder / "original")
    restored = exports(db, report.restored, report.month, folder / "restored")
    report.exports = original
    report.differences = compare(original, restored)
    if compare_counts:
        compare_rows(report, row_counts(db, report.original), row_counts(db, report.restored))
