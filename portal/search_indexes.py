"""What the search box matches, and the PostgreSQL index that finds it without reading a table.

A search matches each word typed anywhere in a type's search fields, ignoring case: Django's
`icontains`, which PostgreSQL runs as `UPPER(text) LIKE UPPER('%word%')`. A B-tree index cannot
serve a pattern with a leading `%`; a `pg_trgm` GIN index on exactly that `UPPER(text)` can, so
the query stays the ORM's and the index is built from the same expression:

- `searched_text(fields)` is the text a word must occur in: the one field, or the fields
  joined by spaces (a word typed never holds a space, so it still matches within one field, and
  one condition a word reaches one index);
- `AddSearchIndex` is the migration operation that builds the trigram index on
  `UPPER(searched_text)`. PostgreSQL only: SQLite has no such index and keeps scanning, as it
  always did. The index is built CONCURRENTLY (writes go on while a large table is indexed), so
  a migration holding one says `atomic = False`. It then ANALYZEs the table, so PostgreSQL has
  statistics on the indexed expression to estimate how many rows a word matches.

Patterns shorter than three characters have no trigram; PostgreSQL then reads the table instead
of the index (bench/content_pages.py measures such words too).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ProjectState
from django.db.models import Expression, F, Model, TextField, Value
from django.db.models.functions import Cast, Concat, Upper
from django.db.models.sql import Query

# The alias under which a search's querysets hold the searched text.
SEARCHED_TEXT = "searched_text"


def searched_text(fields: Sequence[str]) -> Expression | F:
    """The text the search words are looked for in: the field, or the fields joined by spaces."""
    if not fields:
        raise ValueError("A search needs at least one field.")
    if len(fields) == 1:
        return F(fields[0])
    parts: list[Any] = []
    for name in fields:
        parts += [F(name), Value(" ")]
    return Concat(*parts[:-1], output_field=TextField())


def trigram_index_sql(
    model: type[Model], schema_editor: BaseDatabaseSchemaEditor, fields: Sequence[str], name: str
) -> str:
    """CREATE INDEX for a trigram index on what `searched_text(fields)__icontains` compares on
    PostgreSQL, `UPPER(text::text)`, compiled by the ORM as the search's queries are."""
    matched = Upper(Cast(searched_text(fields), output_field=TextField()))
    query = Query(model, alias_cols=False)
    compiler = query.get_compiler(connection=schema_editor.connection)
    sql, params = compiler.compile(matched.resolve_expression(query))
    expression = sql % tuple(schema_editor.quote_value(param) for param in params)
    return (
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {schema_editor.quote_name(name)} "
        f"ON {schema_editor.quote_name(model._meta.db_table)} "
        f"USING gin (({expression}) gin_trgm_ops)"
    )


class AddSearchIndex(Operation):
    """Build the search's trigram index on a model's search fields (PostgreSQL only)."""

    reversible = True
    atomic = False

    def __init__(self, model_name: str, fields: Sequence[str], name: str) -> None:
        self.model_name = model_name
        self.fields = tuple(fields)
        self.name = name

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (
            self.__class__.__name__,
            [],
            {"model_name": self.model_name, "fields": self.fields, "name": self.name},
        )

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        # Not part of the model's state: SQLite never has the index, and the models declare
        # only what every database has.
        pass

    def _model_here(
        self, app_label: str, schema_editor: BaseDatabaseSchemaEditor, state: ProjectState
    ) -> type[Model] | None:
        """The model, if this database is PostgreSQL and holds the model's table."""
        if schema_editor.connection.vendor != "postgresql":
            return None
        model: type[Model] = state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return None
        return model

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        model = self._model_here(app_label, schema_editor, to_state)
        if model is not None:
            # IF NOT EXISTS: a benchmark may have built it by hand under the same name.
            schema_editor.execute(trigram_index_sql(model, schema_editor, self.fields, self.name))
            # The planner estimates how many rows a word matches from statistics on the indexed
            # expression, which only ANALYZE gathers: without them a rare word may be looked for
            # by reading the whole table in date order.
            schema_editor.execute(f"ANALYZE {schema_editor.quote_name(model._meta.db_table)}")

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if self._model_here(app_label, schema_editor, from_state) is not None:
            name = schema_editor.quote_name(self.name)
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")

    def describe(self) -> str:
        return f"Trigram search index {self.name} on {self.model_name} ({', '.join(self.fields)})"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.model_name.lower()}_search_index"
