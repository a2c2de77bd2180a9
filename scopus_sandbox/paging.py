"""Sorting and cursor paging of Scopus Search results.

`sort=` takes up to three comma-separated fields, each optionally prefixed with `+` (ascending,
the default) or `-` (descending); the document's primary key breaks ties, so every order is total.

A cursor is keyset paging over that order: it carries the last row's sort values and primary key,
plus the sort and a digest of the query it was made for, so a cursor cannot be replayed against
another query or order and silently skip or repeat documents. Cursors are opaque to clients
(base64url of JSON), as Scopus's are.

Errors raise PagingError (a ValueError), which the API answers with a 400 INVALID_INPUT::

    ValueError
    └── PagingError
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.db.models.expressions import Combinable
from django.db.models.functions import ExtractYear, Lower

MAX_SORT_FIELDS = 3
MAX_SORT_LENGTH = 200
# Long enough for a cursor whose last title is a few hundred characters, short enough that the
# next URL stays under common request-line limits.
MAX_CURSOR_LENGTH = 3_000
START_CURSOR = "*"
# Bounds that every database compares without overflowing (SQLite integers are 64-bit).
MAX_INTEGER = 2**31 - 1
MAX_PK = 2**63 - 1


class PagingError(ValueError):
    """A sort or cursor parameter the service cannot honour."""


@dataclass(frozen=True)
class SortField:
    """One field `sort=` accepts and the expression documents are ordered by."""

    name: str
    kind: type
    expression: Combinable | None


# Scopus's names (matched case-insensitively). The sandbox does not score relevance, so every
# document is equally relevant: "relevancy" orders nothing and leaves the order to the next field
# (and finally to the index order).
SORT_FIELDS: dict[str, SortField] = {
    "coverdate": SortField("coverDate", datetime.date, F("cover_date")),
    "pubyear": SortField("pubyear", int, ExtractYear("cover_date")),
    "citedby-count": SortField("citedby-count", int, F("cited_by")),
    "title": SortField("title", str, Lower("title")),
    "relevancy": SortField("relevancy", int, None),
}


@dataclass(frozen=True)
class SortKey:
    """A sort field with its direction and the annotation it is read from."""

    field: SortField
    descending: bool
    alias: str


def parse_sort(raw: str | None) -> tuple[SortKey, ...]:
    """The keys of `sort=`; an empty tuple keeps the index order."""
    if raw is None or not raw.strip():
        return ()
    if len(raw) > MAX_SORT_LENGTH:
        raise PagingError(f"The sort parameter is longer than {MAX_SORT_LENGTH} characters")
    parts = raw.split(",")
    if len(parts) > MAX_SORT_FIELDS:
        raise PagingError(f"At most {MAX_SORT_FIELDS} sort fields may be given")
    keys: list[SortKey] = []
    seen: set[str] = set()
    for position, part in enumerate(parts):
        # An unencoded "+" arrives as a space, so "+coverDate" may be " coverDate".
        text = part.strip()
        descending = text.startswith("-")
        name = text.removeprefix("-").removeprefix("+").strip().lower()
        field = SORT_FIELDS.get(name)
        if field is None:
            choices = ", ".join(f.name for f in SORT_FIELDS.values())
            raise PagingError(f"Sort field {text[:40]!r} is not valid: choose from {choices}")
        if name in seen:
            raise PagingError(f"Sort field {field.name} is given twice")
        seen.add(name)
        if field.expression is not None:
            keys.append(SortKey(field, descending, f"sort_{position}"))
    return tuple(keys)


def sort_token(keys: Sequence[SortKey]) -> str:
    """A canonical spelling of a sort, stored in cursors."""
    return ",".join(f"{'-' if key.descending else '+'}{key.field.name}" for key in keys)


def ordered(queryset: QuerySet[Any], keys: Sequence[SortKey]) -> QuerySet[Any]:
    """The queryset annotated with its sort values and ordered by them, then by primary key."""
    annotations = {key.alias: key.field.expression for key in keys}
    order = [F(key.alias).desc() if key.descending else F(key.alias).asc() for key in keys]
    ordered_queryset: QuerySet[Any] = queryset.annotate(**annotations).order_by(*order, "pk")
    return ordered_queryset


@dataclass(frozen=True)
class Position:
    """Where a cursor stands: after the row with these sort values and this primary key."""

    values: tuple[Any, ...]
    pk: int


def _digest(query: str, keys: Sequence[SortKey]) -> str:
    return hashlib.sha256(f"{sort_token(keys)}\n{query}".encode()).hexdigest()[:16]


def encode_cursor(query: str, keys: Sequence[SortKey], row: Any) -> str:
    """The cursor that continues after `row` (a model instance from `ordered`)."""
    values = []
    for key in keys:
        value = getattr(row, key.alias)
        values.append(value.isoformat() if isinstance(value, datetime.date) else value)
    payload = {"d": _digest(query, keys), "k": values, "pk": row.pk}
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=True)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _value(key: SortKey, raw: Any) -> Any:
    if key.field.kind is datetime.date and isinstance(raw, str):
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            return None
    if key.field.kind is int and isinstance(raw, int) and not isinstance(raw, bool):
        return raw if 0 <= raw <= MAX_INTEGER else None
    if key.field.kind is str and isinstance(raw, str):
        return raw
    return None


def decode_cursor(raw: str, query: str, keys: Sequence[SortKey]) -> Position | None:
    """The position a cursor stands for; None for the first page (`*`)."""
    raw = raw.strip()
    if raw == START_CURSOR:
        return None
    invalid = PagingError("Invalid cursor value")
    if not raw or len(raw) > MAX_CURSOR_LENGTH or not raw.isascii():
        raise invalid
    try:
        payload = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (binascii.Error, ValueError, RecursionError):
        raise invalid from None
    if not isinstance(payload, dict):
        raise invalid
    values, pk = payload.get("k"), payload.get("pk")
    if not isinstance(values, list) or not isinstance(pk, int) or isinstance(pk, bool):
        raise invalid
    if not 0 <= pk <= MAX_PK:
        raise invalid
    if payload.get("d") != _digest(query, keys) or len(values) != len(keys):
        raise PagingError("The cursor was made for another query or sort: start again with *")
    decoded = tuple(_value(key, value) for key, value in zip(keys, values, strict=True))
    if any(value is None for value in decoded):
        raise invalid
    return Position(decoded, pk)


def after(keys: Sequence[SortKey], position: Position) -> Q:
    """Rows that come after a position in the order of `ordered` (a keyset condition)."""
    condition = Q(pk__gt=position.pk)
    for key, value in reversed(list(zip(keys, position.values, strict=True))):
        beyond = Q(**{f"{key.alias}__{'lt' if key.descending else 'gt'}": value})
        condition = beyond | (Q(**{key.alias: value}) & condition)
    return condition
