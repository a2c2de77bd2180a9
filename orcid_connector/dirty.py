"""Marking the ORCID records an action changes, in the action's own transaction (issue 14).

Every portal action records its change through portal.audit.record_change, which sends
`change_recorded` inside the action's transaction. The receiver here finds the researchers the
changed object stands for and marks their export state (ExportState): the nightly export then
visits only marked records, and a rolled-back action leaves no mark.

Which researchers an object stands for is found generically, so a new content type (projects,
prizes, activities…) marks its people without a line here:
- the person the action names, and the object itself when it is a Person;
- each foreign key of the object to a Person (a position's holder, an identifier's owner);
- each model pointing at the object that has a foreign key to a Person (an output's
  contributors, a unit's positions, a project's members);
- the same for the whole the object is a part of (a foreign key that deletes in cascade: a
  contributor or an identifier of an output marks all the output's authors);
- the records already holding an item exported from the object (an author removed from an
  output still holds its work until the export deletes it): KEY_PREFIXES below;
- an ORCID iD's owner's co-authors, whose works name that iD.
Only researchers with an active ORCID authorisation are marked: one INSERT … ON CONFLICT.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from django.db import connections, models, router
from django.dispatch import receiver
from django.utils import timezone

from orcid_connector.models import ExportedItem, ExportState, OrcidAuthorization
from portal.choices import PersonIdentifierType
from portal.models import AuditEntry, Contributor, Person, PersonIdentifier
from portal.signals import change_recorded

# The key prefix of the items exported from a model (mapping.py's keys, "output:123").
KEY_PREFIXES: dict[str, str] = {
    "portal.researchoutput": "output",
    "portal.position": "position",
    # export_sections.py's keys: a project's funding, a prize's distinction, an activity's
    # affiliation.
    "projects.project": "project",
    "prizes.prize": "prize",
    "activities.activity": "activity",
}

# Models whose pointers at an object say nothing about who it stands for.
_NOT_PEOPLE_OF = {AuditEntry, ExportedItem, ExportState, OrcidAuthorization}


def _person_field(model: type[models.Model]) -> str | None:
    """The name of the model's (first) foreign key to Person, if it has one."""
    for field in model._meta.get_fields():
        if (
            field.concrete
            and field.many_to_one
            and field.related_model is Person
            and isinstance(field, models.ForeignKey)
        ):
            return field.name
    return None


@dataclass(frozen=True)
class _Paths:
    """How an object of a model leads to persons."""

    # Attribute names of its own foreign keys to Person (their ids).
    own: list[str]
    # (model, field pointing at the object, that model's field to Person).
    pointing: list[tuple[type[models.Model], str, str]]
    # (attribute name, model) of the wholes it is a part of (foreign keys deleting in cascade).
    wholes: list[tuple[str, type[models.Model]]]


@cache
def _people_paths(model: type[models.Model]) -> _Paths:
    own, wholes = [], []
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.ForeignKey):
            continue
        if field.related_model is Person:
            own.append(field.attname)
        elif field.remote_field.on_delete is models.CASCADE and isinstance(
            field.related_model, type
        ):
            wholes.append((field.attname, field.related_model))
    pointing = []
    if model is not Person:
        for relation in model._meta.related_objects:
            related = relation.related_model
            if not isinstance(related, type) or related in _NOT_PEOPLE_OF:
                continue
            if relation.many_to_many or not isinstance(relation.field, models.ForeignKey):
                continue
            person_field = _person_field(related)
            if person_field is not None and person_field != relation.field.name:
                pointing.append((related, relation.field.name, person_field))
    return _Paths(own, pointing, wholes)


def _persons_pointing_at(model: type[models.Model], pk: Any) -> set[int]:
    """Persons of the objects pointing at this one, and the records holding its items."""
    found: set[int] = set()
    for related, field_name, person_field in _people_paths(model).pointing:
        found.update(
            related._default_manager.filter(
                **{field_name: pk, f"{person_field}__isnull": False}
            ).values_list(f"{person_field}_id", flat=True)
        )
    prefix = KEY_PREFIXES.get(model._meta.label_lower)
    if prefix is not None:
        found.update(
            ExportedItem.objects.filter(key=f"{prefix}:{pk}").values_list("person_id", flat=True)
        )
    return found


def persons_of(target: models.Model, person: Person | None = None) -> set[int]:
    """The researchers whose ORCID records may hold something of the target."""
    found: set[int] = set()
    if person is not None:
        found.add(person.pk)
    if isinstance(target, Person):
        found.add(target.pk)
    paths = _people_paths(type(target))
    for attname in paths.own:
        value = getattr(target, attname, None)
        if isinstance(value, int):
            found.add(value)
    for attname, whole in paths.wholes:
        whole_pk = getattr(target, attname, None)
        if whole_pk is not None:
            found.update(_persons_pointing_at(whole, whole_pk))
    if target.pk is not None:
        found.update(_persons_pointing_at(type(target), target.pk))
    if isinstance(target, PersonIdentifier) and target.id_type == PersonIdentifierType.ORCID:
        # Works name their internal authors' authenticated iDs: the co-authors' works change.
        found.update(
            Contributor.objects.filter(
                output__contributors__person_id=target.person_id, person__isnull=False
            ).values_list("person_id", flat=True)
        )
    return found


def mark(person_ids: Iterable[int], now: datetime | None = None) -> None:
    """Mark the records of these researchers (those connected to ORCID) as needing export,
    in the caller's transaction: one statement, whatever the number."""
    ids = sorted({int(pk) for pk in person_ids})
    if not ids:
        return
    moment = now or timezone.now()
    connection = connections[router.db_for_write(ExportState)]
    quote = connection.ops.quote_name
    state, authorization = ExportState._meta.db_table, OrcidAuthorization._meta.db_table
    placeholders = ", ".join(["%s"] * len(ids))
    # Table names come from model metadata, values are parameters. "WHERE … AND TRUE" keeps
    # SQLite from reading ON CONFLICT as a join's ON.
    sql = (
        f"INSERT INTO {quote(state)} (person_id, dirty_since, marks, orcid, digest) "  # noqa: S608
        f"SELECT DISTINCT person_id, %s, 1, '', '' FROM {quote(authorization)} "
        f"WHERE revoked_at IS NULL AND person_id IN ({placeholders}) AND 1 = 1 "
        f"ON CONFLICT (person_id) DO UPDATE SET marks = {quote(state)}.marks + 1, "
        f"dirty_since = COALESCE({quote(state)}.dirty_since, excluded.dirty_since)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datetimefield_value(moment), *ids])


@receiver(change_recorded, dispatch_uid="orcid_connector.dirty.mark_changed")
def mark_changed(
    sender: type[models.Model], *, target: models.Model, person: Person | None, **_: Any
) -> None:
    """An action changed `target`: mark the records that may hold something of it."""
    mark(persons_of(target, person))
