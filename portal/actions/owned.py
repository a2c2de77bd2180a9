"""Writes to the content researchers publish directly (activities, prizes, impact, press).

One set of actions for every `OwnedItem` subclass: the owner (or the Library) enters, changes,
publishes and deletes an item; each change is one transaction with one audit entry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction

from portal import caching
from portal.audit import Actor, record_change, snapshot
from portal.choices import AuditAction
from portal.errors import NotAllowedError
from portal.models import Person
from portal.models.owned import ItemPerson, OwnedItem, people_model_of
from portal.permissions import can_edit_person

Item = TypeVar("Item", bound=OwnedItem)

# More persons than this on one item is a mistake (a pasted list), not a talk or a prize.
MAX_PEOPLE = 100


@dataclass(frozen=True)
class PersonEntry:
    """A person of an item as the form gives it: who, and in what role."""

    person: Person
    role: str = ""


def can_edit_item(user: Actor, item: OwnedItem) -> bool:
    """The owner edits their items; the Library edits anyone's; jobs and commands may too."""
    return user is None or can_edit_person(user, item.owner)


def _require_edit(owner: Person, acting_user: Actor) -> None:
    if acting_user is not None and not can_edit_person(acting_user, owner):
        raise NotAllowedError("You can only change your own entries.")


def _check_fields(model: type[OwnedItem], fields: Mapping[str, Any]) -> None:
    refused = sorted(set(fields) - set(model.EDITABLE_FIELDS) - set(model.RELATION_FIELDS))
    if refused:
        raise NotAllowedError(f"These fields cannot be changed here: {', '.join(refused)}.")


def _check_people(people: Sequence[PersonEntry]) -> None:
    if not people:
        raise NotAllowedError("Name at least one person.")
    if len(people) > MAX_PEOPLE:
        raise NotAllowedError(f"At most {MAX_PEOPLE} persons can be named.")
    slugs = [entry.person.slug for entry in people]
    if len(set(slugs)) != len(slugs):
        raise NotAllowedError("Each person can be named once.")


def _people_model(item: OwnedItem) -> type[ItemPerson]:
    return people_model_of(type(item))


def _people_text(people: Sequence[PersonEntry]) -> list[str]:
    return [
        f"{entry.person.slug} ({entry.role})" if entry.role else entry.person.slug
        for entry in people
    ]


def _person_ids(item: OwnedItem) -> list[int]:
    return list(_people_model(item).rows_of(item).values_list("person_id", flat=True))


def _set_people(item: OwnedItem, people: Sequence[PersonEntry]) -> None:
    model = _people_model(item)
    model.rows_of(item).delete()
    model._default_manager.bulk_create(
        model.row(item, entry.person, entry.role, index) for index, entry in enumerate(people)
    )


def _relations_snapshot(item: OwnedItem, names: Sequence[str]) -> dict[str, list[int]]:
    return {name: sorted(related.pk for related in getattr(item, name).all()) for name in names}


def _split(
    model: type[OwnedItem], fields: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    plain = {name: value for name, value in fields.items() if name not in model.RELATION_FIELDS}
    relations = {name: value for name, value in fields.items() if name in model.RELATION_FIELDS}
    return plain, relations


@transaction.atomic
def do_create_owned_item(
    model: type[Item],
    owner: Person,
    fields: Mapping[str, Any],
    people: Sequence[PersonEntry],
    *,
    acting_user: Actor,
) -> Item:
    """Enter an item for its owner, with its persons in order (a draft unless `status` says)."""
    _require_edit(owner, acting_user)
    _check_fields(model, fields)
    _check_people(people)
    plain, relations = _split(model, fields)
    item = model(owner=owner, **plain)
    item.full_clean()
    item.save()
    _set_people(item, people)
    for name, values in relations.items():
        getattr(item, name).set(values)
    after = snapshot(item, [*plain, "status"])
    after["people"] = _people_text(people)
    after.update(_relations_snapshot(item, list(relations)))
    caching.forget_profiles(entry.person.pk for entry in people)
    record_change(
        actor=acting_user, action=AuditAction.CREATE, target=item, person=owner, after=after
    )
    return item


@transaction.atomic
def do_update_owned_item(
    item: OwnedItem,
    fields: Mapping[str, Any],
    people: Sequence[PersonEntry] | None = None,
    *,
    acting_user: Actor,
) -> list[str]:
    """Change an item's fields (and persons, when given); returns what really changed."""
    _require_edit(item.owner, acting_user)
    model = type(item)
    _check_fields(model, fields)
    plain, relations = _split(model, fields)
    changed = [name for name, value in plain.items() if getattr(item, name) != value]
    before: dict[str, Any] = snapshot(item, changed)
    old_relations = _relations_snapshot(item, list(relations))
    old_people = _person_ids(item)
    old_people_text = [str(row) for row in _people_model(item).rows_of(item)]
    for name in changed:
        setattr(item, name, plain[name])
    item.full_clean()
    if changed:
        item.save(update_fields=[*changed, "updated_at"])
    after: dict[str, Any] = snapshot(item, changed)
    for name, values in relations.items():
        new = sorted(related.pk for related in values)
        if new != old_relations[name]:
            getattr(item, name).set(values)
            before[name], after[name] = old_relations[name], new
            changed.append(name)
    if people is not None:
        _check_people(people)
        model_of_people = _people_model(item)
        current = [(row.person_id, row.role) for row in model_of_people.rows_of(item)]
        wanted = [(entry.person.pk, entry.role) for entry in people]
        if current != wanted:
            _set_people(item, people)
            before["people"], after["people"] = old_people_text, _people_text(people)
            changed.append("people")
    if not changed:
        return []
    caching.forget_profiles([*old_people, *_person_ids(item)])
    record_change(
        actor=acting_user,
        action=AuditAction.UPDATE,
        target=item,
        person=item.owner,
        before=before,
        after=after,
    )
    return changed


@transaction.atomic
def do_delete_owned_item(item: OwnedItem, *, acting_user: Actor) -> None:
    """Delete an item and its persons; the audit entry keeps what it was."""
    _require_edit(item.owner, acting_user)
    before = snapshot(item, [*type(item).EDITABLE_FIELDS])
    people = _person_ids(item)
    before["people"] = [str(row) for row in _people_model(item).rows_of(item)]
    record_change(
        actor=acting_user, action=AuditAction.DELETE, target=item, person=item.owner, before=before
    )
    item.delete()
    caching.forget_profiles(people)
