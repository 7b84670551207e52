"""Database triggers: nothing of a closed period can be inserted, changed or deleted.

The rule lives in the database so that no path (admin, import, shell, raw SQL) can
change a closed month. The application checks first and shows a translated message;
these triggers are the guarantee behind it.
"""

from django.db import migrations

MESSAGE = "period closed: its sheets cannot change"

# (table, how to reach the period id from NEW/OLD)
TABLES = {
    "scoring_evaluation": "{row}.period_id",
    "scoring_criterionscore": (
        "(SELECT e.period_id FROM scoring_evaluation e WHERE e.id = {row}.evaluation_id)"
    ),
    "scoring_workitem": (
        "(SELECT e.period_id FROM scoring_evaluation e WHERE e.id = {row}.evaluation_id)"
    ),
}
CLOSED = "(SELECT p.state FROM scoring_period p WHERE p.id = {period}) = 'closed'"


def _sqlite(table: str, period: str) -> list[str]:
    statements = []
    for event, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
        condition = CLOSED.format(period=period.format(row=row))
        statements.append(
            f"CREATE TRIGGER {table}_closed_{event.lower()} BEFORE {event} ON {table} "
            f"FOR EACH ROW WHEN {condition} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
        )
    return statements


def _postgresql(table: str, period: str) -> list[str]:
    function = f"{table}_refuse_closed"
    old_closed = CLOSED.format(period=period.format(row="OLD"))
    new_closed = CLOSED.format(period=period.format(row="NEW"))
    return [
        f"""
        CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
        BEGIN
            IF (TG_OP <> 'INSERT' AND {old_closed}) OR (TG_OP <> 'DELETE' AND {new_closed}) THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql;
        """,
        f"CREATE TRIGGER {function} BEFORE INSERT OR UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}();",
    ]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    build = {"sqlite": _sqlite, "postgresql": _postgresql}.get(vendor)
    if build is None:
        raise NotImplementedError(f"No closed-period triggers for {vendor}")
    for table, period in TABLES.items():
        for statement in build(table, period):
            schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_refuse_closed ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_refuse_closed()")
        else:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_closed_{event}")


class Migration(migrations.Migration):
    dependencies = [("scoring", "0003_monthly_cycle")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
