"""The validation queue's "Submitted by" filter looks accounts up by user name ignoring case
(`username__iexact`, which PostgreSQL runs as UPPER(username) = UPPER(…)). Without an index on
that expression it read all 50,000 accounts (65 ms); with it, one index probe.

PostgreSQL only: SQLite runs iexact as LIKE, which this index would not serve.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

INDEX = "portal_auth_user_username_upper_idx"


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON auth_user (UPPER(username::text))"
        )


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("portal", "0005_validation_queue_filter_indexes"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
