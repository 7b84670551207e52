"""The restore drill: a dump restored into a new database gives the same rows and the
same bytes for every export of a locked month; a changed restore is caught."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from scoring.cycle import closing, periods
from scoring.management import drill
from scoring.management.month_exports import Difference, compare
from scoring.models import (
    ClassificationBand,
    CriteriaSet,
    Criterion,
    CriterionGroup,
    Evaluation,
    Staff,
)
from scoring.publishing import releases
from tests import factories as f

POSTGRESQL = connection.vendor == "postgresql"
needs_postgresql = pytest.mark.skipif(not POSTGRESQL, reason="the drill needs PostgreSQL")


@pytest.fixture
def locked_month(transactional_db, locality):
    """March 2026 locked and released, committed (the drill's tools read the database
    from outside); reopened at the end, since a locked month refuses the flush."""
    criteria_set = CriteriaSet.objects.create(
        code="drill", name="Drill", effective_from=datetime.date(2026, 1, 1)
    )
    group = CriterionGroup.objects.create(criteria_set=criteria_set, title="Chung")
    Criterion.objects.create(group=group, code="C1", title="C1", max_points=100)
    for level, minimum in ((1, 90), (2, 70), (3, 50), (4, 0)):
        ClassificationBand.objects.create(criteria_set=criteria_set, level=level, minimum=minimum)
    officers = f.user("noivu1", superuser=True), f.user("noivu2", superuser=True)
    period = periods.open_period(2026, 3).period
    Evaluation.objects.filter(period=period).update(
        state=Evaluation.State.APPROVED, final_total=Decimal("91"), level=1
    )
    for unit in closing.month_units(period):
        closing.submit_unit_month(period, unit, None)
    period = periods.close_period(period)
    release = releases.prepare(period, officers[0], timezone.now())
    releases.approve(release, officers[1])
    yield period
    period = closing.reopen_month(period, officers[0], "end of the drill test")
    for unit in closing.month_units(period):
        closing.reopen_unit_month(period, unit, officers[0], "end of the drill test")


@needs_postgresql
def test_the_drill_restores_a_dump_with_the_same_rows_and_identical_exports(locked_month, capsys):
    call_command("restore_drill", month="2026-03")

    out = capsys.readouterr().out
    assert "Restore drill passed." in out or "Diễn tập khôi phục đạt." in out
    names = {line.split()[-1] for line in out.splitlines() if line.startswith("  ")}
    assert "locality-2026-03.xlsx" in names
    assert "open-data-units-2026-03.json" in names
    assert any(name.startswith("unit-") and name.endswith(".csv") for name in names)
    with connection.cursor() as cursor:  # the drill database was dropped
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname LIKE %s", ["%_drill_%"])
        assert cursor.fetchone()[0] == 0


@needs_postgresql
def test_a_restored_database_that_differs_is_caught(locked_month, tmp_path):
    db = drill.database()
    name = drill.drill_name(db["NAME"])
    drill.dump(db, tmp_path / "portal.dump")
    drill.restore(db, tmp_path / "portal.dump", name)
    try:
        clerk = Staff.objects.get(full_name="Giàng Thị Công")
        unit = Evaluation.objects.get(staff=clerk, period=locked_month).unit
        Staff.objects.filter(pk=clerk.pk).update(full_name="Giàng Thị Khác")  # after the dump
        original = drill.exports(db, db["NAME"], "2026-03", tmp_path / "original")
        restored = drill.exports(db, name, "2026-03", tmp_path / "restored")
        differences = compare(original, restored)
        report = drill.DrillReport(db["NAME"], name, "2026-03")
        drill.compare_rows(report, drill.row_counts(db, db["NAME"]), drill.row_counts(db, name))
    finally:
        drill.drop(db, name)
    changed = {difference.name for difference in differences}
    assert changed == {
        f"unit-{unit.code}-2026-03.xlsx",
        f"unit-{unit.code}-2026-03.csv",
    }
    assert report.row_differences == []  # same rows: only the bytes tell


@needs_postgresql
def test_the_drill_refuses_a_month_that_is_not_locked(locked_month):
    with pytest.raises(CommandError, match="2026-04"):
        call_command("restore_drill", month="2026-04")


@pytest.mark.skipif(POSTGRESQL, reason="the refusal is for SQLite")
@pytest.mark.django_db
def test_the_drill_says_it_needs_postgresql_on_sqlite():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("restore_drill")


def test_the_comparison_names_a_changed_and_a_missing_export():
    original = {"a.xlsx": "1" * 64, "b.csv": "2" * 64, "c.json": "3" * 64}
    restored = {"a.xlsx": "1" * 64, "b.csv": "9" * 64}

    assert compare(original, restored) == [
        Difference("b.csv", "2" * 64, "9" * 64),
        Difference("c.json", "3" * 64, None),
    ]
    assert compare(original, dict(original)) == []


def test_a_drill_database_name_fits_postgresql():
    name = drill.drill_name("p" * 80, datetime.datetime(2026, 3, 31, 23, 59, 1))
    assert len(name) == 63 and name.endswith("_drill_20260331235901")
