"""The one bulk path: many rows inserted at once, audited as one batch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connections, models, router, transaction

from portal.audit import Actor, acting_account, actor_label
from portal.caching import forget_every_profile
from portal.choices import (
    AuditAction,
)
from portal.models import (
    AuditEntry,
)

# The profile fields a researcher may change on "Edit profile"; official names come from HR.


@transaction.atomic
def do_import_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    acting_user: Actor,
    description: str,
) -> int:
    """Insert many rows with their primary keys given, audited as one batch.

    The one bulk path (demo and scale generator, imports): COPY on PostgreSQL, one prepared
    INSERT executed for every row elsewhere. Rows must be complete and valid: no per-row model
    validation runs here.
    """
    if not rows:
        return 0
    table = model._meta.db_table
    columns = [model._meta.get_field(name).column for name in fields]  # type: ignore[union-attr]
    connection = connections[router.db_for_write(model)]
    quoted = ", ".join(connection.ops.quote_name(str(column)) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw_cursor = cursor.cursor
            with raw_cursor.copy(
                f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            # Table and column names come from model metadata, never from input.
            insert = (
                f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({placeholders})"  # noqa: S608
            )
            cursor.executemany(insert, rows)
    # Inserted without signals: every cached profile may be out of date.
    forget_every_profile()
    AuditEntry.objects.create(
        actor=acting_account(acting_user),
        actor_label=actor_label(acting_user),
        action=AuditAction.CREATE,
        target_type=model._meta.label_lower,
        target_id=f"{rows[0][0]}..{rows[-1][0]}",
        target_label=f"{description}: {len(rows)} rows",
    )
    return len(rows)


def reset_primary_key_sequences(*model_classes: type[models.Model]) -> None:
    """After inserting rows with explicit keys, let PostgreSQL's sequences continue after them."""
    for model in model_classes:
        connection = connections[router.db_for_write(model)]
        statements = connection.ops.sequence_reset_sql(no_style(), [model])
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
