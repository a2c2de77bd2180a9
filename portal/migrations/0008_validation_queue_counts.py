"""The validation queue's counts per unit, kept by triggers (PostgreSQL and SQLite).

Any change to an output's state or managing unit, or to the units it lists, moves the counts in
the same statement, whoever makes it (actions, admin, the seed's COPY, raw SQL). Counts go up by
upsert and down by a plain UPDATE, so deleting outputs after the counts (Django's flush on
SQLite deletes table by table) leaves no negative rows behind. Triggers are installed before
the counts are filled: a write in between waits for this migration's lock on the table
(PostgreSQL) or the database (SQLite).
"""

# The SQL below is built from constant table names, never from input.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

from django.db import migrations, models

COUNTS = "portal_validationqueuecount"
OUTPUTS = "portal_researchoutput"
LISTINGS = "portal_researchoutput_units"
WAITING = "'for_validation'"

FILL = f"""
INSERT INTO {COUNTS} (unit_key, managed, in_unit)
SELECT unit_key, SUM(managed), SUM(in_unit) FROM (
    SELECT COALESCE(managing_unit_id, 0) AS unit_key, 1 AS managed,
           CASE WHEN managing_unit_id IS NULL THEN 0 ELSE 1 END AS in_unit
    FROM {OUTPUTS} WHERE workflow_status = {WAITING}
    UNION ALL
    SELECT l.orgunit_id, 0, 1 FROM {LISTINGS} l JOIN {OUTPUTS} o ON o.id = l.researchoutput_id
    WHERE o.workflow_status = {WAITING}
      AND (o.managing_unit_id IS NULL OR o.managing_unit_id <> l.orgunit_id)
) AS waiting GROUP BY unit_key
"""

POSTGRESQL = f"""
CREATE FUNCTION portal_queue_count_output_moved(p_output bigint, p_unit bigint, p_delta integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_delta > 0 THEN
        INSERT INTO {COUNTS} AS c (unit_key, managed, in_unit)
        VALUES (COALESCE(p_unit, 0), p_delta, CASE WHEN p_unit IS NULL THEN 0 ELSE p_delta END)
        ON CONFLICT (unit_key) DO UPDATE
            SET managed = c.managed + EXCLUDED.managed, in_unit = c.in_unit + EXCLUDED.in_unit;
        INSERT INTO {COUNTS} AS c (unit_key, managed, in_unit)
        SELECT l.orgunit_id, 0, p_delta FROM {LISTINGS} l
        WHERE l.researchoutput_id = p_output AND l.orgunit_id IS DISTINCT FROM p_unit
        ORDER BY l.orgunit_id
        ON CONFLICT (unit_key) DO UPDATE SET in_unit = c.in_unit + EXCLUDED.in_unit;
    ELSE
        UPDATE {COUNTS}
        SET managed = managed + p_delta,
            in_unit = in_unit + CASE WHEN p_unit IS NULL THEN 0 ELSE p_delta END
        WHERE unit_key = COALESCE(p_unit, 0);
        UPDATE {COUNTS} SET in_unit = in_unit + p_delta
        WHERE unit_key IN (
            SELECT l.orgunit_id FROM {LISTINGS} l
            WHERE l.researchoutput_id = p_output AND l.orgunit_id IS DISTINCT FROM p_unit
        );
    END IF;
END $$;

CREATE FUNCTION portal_queue_count_output() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        IF OLD.workflow_status = {WAITING} THEN
            PERFORM portal_queue_count_output_moved(OLD.id, OLD.managing_unit_id, -1);
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF NEW.workflow_status = {WAITING} THEN
            PERFORM portal_queue_count_output_moved(NEW.id, NEW.managing_unit_id, 1);
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION portal_queue_count_listed(p_output bigint, p_unit bigint, p_delta integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM {OUTPUTS} o WHERE o.id = p_output AND o.workflow_status = {WAITING}
          AND o.managing_unit_id IS DISTINCT FROM p_unit
    ) THEN
        RETURN;
    END IF;
    IF p_delta > 0 THEN
        INSERT INTO {COUNTS} AS c (unit_key, managed, in_unit) VALUES (p_unit, 0, p_delta)
        ON CONFLICT (unit_key) DO UPDATE SET in_unit = c.in_unit + EXCLUDED.in_unit;
    ELSE
        UPDATE {COUNTS} SET in_unit = in_unit + p_delta WHERE unit_key = p_unit;
    END IF;
END $$;

CREATE FUNCTION portal_queue_count_listing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM portal_queue_count_listed(OLD.researchoutput_id, OLD.orgunit_id, -1);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM portal_queue_count_listed(NEW.researchoutput_id, NEW.orgunit_id, 1);
    END IF;
    RETURN NULL;
END $$;

-- TRUNCATE fires no row trigger: emptied outputs empty the counts; emptied listings leave
-- each unit with the outputs it manages.
CREATE FUNCTION portal_queue_count_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = '{OUTPUTS}' THEN
        DELETE FROM {COUNTS};
    ELSE
        UPDATE {COUNTS} SET in_unit = managed WHERE unit_key <> 0 AND in_unit <> managed;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER portal_queue_count_output_insert AFTER INSERT ON {OUTPUTS}
    FOR EACH ROW WHEN (NEW.workflow_status = {WAITING})
    EXECUTE FUNCTION portal_queue_count_output();
CREATE TRIGGER portal_queue_count_output_update
    AFTER UPDATE OF workflow_status, managing_unit_id ON {OUTPUTS}
    FOR EACH ROW WHEN (
        (OLD.workflow_status = {WAITING} OR NEW.workflow_status = {WAITING})
        AND (OLD.workflow_status IS DISTINCT FROM NEW.workflow_status
             OR OLD.managing_unit_id IS DISTINCT FROM NEW.managing_unit_id)
    )
    EXECUTE FUNCTION portal_queue_count_output();
CREATE TRIGGER portal_queue_count_output_delete AFTER DELETE ON {OUTPUTS}
    FOR EACH ROW WHEN (OLD.workflow_status = {WAITING})
    EXECUTE FUNCTION portal_queue_count_output();
CREATE TRIGGER portal_queue_count_listing AFTER INSERT OR UPDATE OR DELETE ON {LISTINGS}
    FOR EACH ROW EXECUTE FUNCTION portal_queue_count_listing();
CREATE TRIGGER portal_queue_count_output_truncate AFTER TRUNCATE ON {OUTPUTS}
    FOR EACH STATEMENT EXECUTE FUNCTION portal_queue_count_truncated();
CREATE TRIGGER portal_queue_count_listing_truncate AFTER TRUNCATE ON {LISTINGS}
    FOR EACH STATEMENT EXECUTE FUNCTION portal_queue_count_truncated();
"""

POSTGRESQL_DROP = f"""
DROP TRIGGER IF EXISTS portal_queue_count_output_insert ON {OUTPUTS};
DROP TRIGGER IF EXISTS portal_queue_count_output_update ON {OUTPUTS};
DROP TRIGGER IF EXISTS portal_queue_count_output_delete ON {OUTPUTS};
DROP TRIGGER IF EXISTS portal_queue_count_output_truncate ON {OUTPUTS};
DROP TRIGGER IF EXISTS portal_queue_count_listing ON {LISTINGS};
DROP TRIGGER IF EXISTS portal_queue_count_listing_truncate ON {LISTINGS};
DROP FUNCTION IF EXISTS portal_queue_count_output();
DROP FUNCTION IF EXISTS portal_queue_count_output_moved(bigint, bigint, integer);
DROP FUNCTION IF EXISTS portal_queue_count_listing();
DROP FUNCTION IF EXISTS portal_queue_count_listed(bigint, bigint, integer);
DROP FUNCTION IF EXISTS portal_queue_count_truncated();
"""


def _sqlite_output_moved(row: str, delta: int) -> str:
    """SQLite has no functions: the statements an output entering (+1) or leaving (-1) the
    queue runs, for the trigger's OLD or NEW row, guarded by that row's state."""
    guard = f"{row}.workflow_status = {WAITING}"
    if delta > 0:
        return f"""
    INSERT INTO {COUNTS} (unit_key, managed, in_unit)
    SELECT COALESCE({row}.managing_unit_id, 0), 1,
           CASE WHEN {row}.managing_unit_id IS NULL THEN 0 ELSE 1 END
    WHERE {guard}
    ON CONFLICT (unit_key) DO UPDATE
        SET managed = managed + excluded.managed, in_unit = in_unit + excluded.in_unit;
    INSERT INTO {COUNTS} (unit_key, managed, in_unit)
    SELECT l.orgunit_id, 0, 1 FROM {LISTINGS} l
    WHERE l.researchoutput_id = {row}.id AND l.orgunit_id IS NOT {row}.managing_unit_id
      AND {guard}
    ON CONFLICT (unit_key) DO UPDATE SET in_unit = in_unit + excluded.in_unit;"""
    return f"""
    UPDATE {COUNTS}
    SET managed = managed - 1,
        in_unit = in_unit - CASE WHEN {row}.managing_unit_id IS NULL THEN 0 ELSE 1 END
    WHERE unit_key = COALESCE({row}.managing_unit_id, 0) AND {guard};
    UPDATE {COUNTS} SET in_unit = in_unit - 1
    WHERE unit_key IN (
        SELECT l.orgunit_id FROM {LISTINGS} l
        WHERE l.researchoutput_id = {row}.id AND l.orgunit_id IS NOT {row}.managing_unit_id
    ) AND {guard};"""


def _sqlite_listed(row: str, delta: int) -> str:
    listed = (
        f"EXISTS (SELECT 1 FROM {OUTPUTS} o WHERE o.id = {row}.researchoutput_id "
        f"AND o.workflow_status = {WAITING} AND o.managing_unit_id IS NOT {row}.orgunit_id)"
    )
    if delta > 0:
        return f"""
    INSERT INTO {COUNTS} (unit_key, managed, in_unit) SELECT {row}.orgunit_id, 0, 1
    WHERE {listed}
    ON CONFLICT (unit_key) DO UPDATE SET in_unit = in_unit + excluded.in_unit;"""
    return f"""
    UPDATE {COUNTS} SET in_unit = in_unit - 1 WHERE unit_key = {row}.orgunit_id AND {listed};"""


SQLITE = [
    f"""CREATE TRIGGER portal_queue_count_output_insert AFTER INSERT ON {OUTPUTS}
    WHEN NEW.workflow_status = {WAITING}
    BEGIN {_sqlite_output_moved("NEW", 1)}
    END""",
    f"""CREATE TRIGGER portal_queue_count_output_update
    AFTER UPDATE OF workflow_status, managing_unit_id ON {OUTPUTS}
    WHEN (OLD.workflow_status = {WAITING} OR NEW.workflow_status = {WAITING})
      AND (OLD.workflow_status IS NOT NEW.workflow_status
           OR OLD.managing_unit_id IS NOT NEW.managing_unit_id)
    BEGIN {_sqlite_output_moved("OLD", -1)} {_sqlite_output_moved("NEW", 1)}
    END""",
    f"""CREATE TRIGGER portal_queue_count_output_delete AFTER DELETE ON {OUTPUTS}
    WHEN OLD.workflow_status = {WAITING}
    BEGIN {_sqlite_output_moved("OLD", -1)}
    END""",
    f"""CREATE TRIGGER portal_queue_count_listing_insert AFTER INSERT ON {LISTINGS}
    BEGIN {_sqlite_listed("NEW", 1)}
    END""",
    f"""CREATE TRIGGER portal_queue_count_listing_update AFTER UPDATE ON {LISTINGS}
    BEGIN {_sqlite_listed("OLD", -1)} {_sqlite_listed("NEW", 1)}
    END""",
    f"""CREATE TRIGGER portal_queue_count_listing_delete AFTER DELETE ON {LISTINGS}
    BEGIN {_sqlite_listed("OLD", -1)}
    END""",
]

SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS portal_queue_count_{name}"
    for name in (
        "output_insert",
        "output_update",
        "output_delete",
        "listing_insert",
        "listing_update",
        "listing_delete",
    )
]


def install(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL)
        elif connection.vendor == "sqlite":
            for statement in SQLITE:
                cursor.execute(statement)
        else:
            raise NotImplementedError(f"No queue count triggers for {connection.vendor}.")
        cursor.execute(FILL)


def uninstall(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_DROP)
        else:
            for statement in SQLITE_DROP:
                cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0007_output_title_search_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="ValidationQueueCount",
            fields=[
                ("unit_key", models.BigIntegerField(primary_key=True, serialize=False)),
                ("managed", models.IntegerField(default=0)),
                ("in_unit", models.IntegerField(default=0)),
            ],
            options={
                "verbose_name": "validation queue count",
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
