"""Writes to the content the Library validates besides research outputs (projects, datasets,
student theses): entry and correction, and the Library's validation and return, which mail the
item's researchers after the transaction commits (`portal.notifications`). The workflow moves
themselves are the research outputs' own: `portal.actions.workflow`.

One set of actions for every `ValidatedItem` subclass; each is one transaction with one audit
entry. An editor (the owner or a person named on the item) corrects an item until it is
validated; after that only the Library does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from django.db import transaction

from portal import caching, notifications
from portal.actions.workflow import (
    can_change_fields,
    is_editor,
    return_to_researcher,
    validate,
)
from portal.audit import Actor, record_change, snapshot
from portal.choices import AuditAction, WorkflowStatus
from portal.errors import NotAllowedError
from portal.models import Person
from portal.models.validated import ValidatedItem, ValidatedPerson
from portal.permissions import can_edit_person

Item = TypeVar("Item", bound=ValidatedItem)

# More persons than this on one item is a mistake (a pasted list), not a project team.
MAX_PEOPLE = 200


@dataclass(frozen=True)
class PersonEntry:
    """A person of an item as the form gives it: an internal person or an external name."""

    person: Person | None = None
    name: str = ""
    organisation: str = ""
    role: str = ""

    @property
    def label(self) -> str:
        who = self.person.slug if self.person is not None else self.name
        if self.organisation:
            who = f"{who} ({self.organisation})"
        return f"{who}, {self.role}" if self.role else who


def _check_fields(model: type[ValidatedItem], fields: Mapping[str, Any]) -> None:
    refused = sorted(set(fields) - set(model.EDITABLE_FIELDS) - set(model.RELATION_FIELDS))
    if refused:
        raise NotAllowedError(f"These fields cannot be changed here: {', '.join(refused)}.")


def _check_people(people: Sequence[PersonEntry], *, external: bool) -> None:
    if not people:
        raise NotAllowedError("Name at least one person.")
    if len(people) > MAX_PEOPLE:
        raise NotAllowedError(f"At most {MAX_PEOPLE} persons can be named.")
    internal = [entry.person.pk for entry in people if entry.person is not None]
    if len(set(internal)) != len(internal):
        raise NotAllowedError("Each researcher can be named once.")
    for entry in people:
        if entry.person is None and not external:
            raise NotAllowedError("Only the portal's researchers can be named here.")
        if entry.person is None and not entry.name.strip():
            raise NotAllowedError("An external person needs a name.")


def _people_text(item: ValidatedItem) -> list[str]:
    return [str(row) for row in type(item).people_model().rows_of(item)]


def _person_ids(item: ValidatedItem) -> list[int]:
    rows = type(item).people_model().rows_of(item).filter(person__isnull=False)
    return [pk for pk in rows.values_list("person_id", flat=True) if pk is not None]


def _set_people(item: ValidatedItem, people: Sequence[PersonEntry]) -> None:
    model: type[ValidatedPerson] = type(item).people_model()
    model.rows_of(item).delete()
    rows = []
    for position, entry in enumerate(people):
        row = model(
            **{"item": item},
            person=entry.person,
            name="" if entry.person is not None else entry.name.strip(),
            organisation=entry.organisation.strip(),
            role=entry.role.strip(),
            position=position,
        )
        row.full_clean(exclude=["item"])
        rows.append(row)
    model._default_manager.bulk_create(rows)


def _split(
    model: type[ValidatedItem], fields: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    plain = {name: value for name, value in fields.items() if name not in model.RELATION_FIELDS}
    relations = {
        name: list(value) for name, value in fields.items() if name in model.RELATION_FIELDS
    }
    return plain, relations


def _relations_snapshot(item: ValidatedItem, names: Sequence[str]) -> dict[str, list[int]]:
    return {name: sorted(related.pk for related in getattr(item, name).all()) for name in names}


@transaction.atomic
def do_create_validated_item(
    model: type[Item],
    owner: Person,
    fields: Mapping[str, Any],
    people: Sequence[PersonEntry],
    *,
    acting_user: Actor,
    external_people: bool = True,
) -> Item:
    """Enter an item for its owner ("Entry in progress"), with its persons in order."""
    if acting_user is not None and not can_edit_person(acting_user, owner):
        raise NotAllowedError("You can only enter items for your own profile.")
    _check_fields(model, fields)
    _check_people(people, external=external_people)
    plain, relations = _split(model, fields)
    item = model(owner=owner, workflow_status=WorkflowStatus.ENTRY_IN_PROGRESS, **plain)
    item.full_clean()
    item.save()
    _set_people(item, people)
    for name, values in relations.items():
        getattr(item, name).set(values)
    after = snapshot(item, [*plain, "workflow_status"])
    after["people"] = [entry.label for entry in people]
    after.update(_relations_snapshot(item, list(relations)))
    record_change(
        actor=acting_user, action=AuditAction.CREATE, target=item, person=owner, after=after
    )
    return item


@transaction.atomic
def do_update_validated_item(
    item: ValidatedItem,
    fields: Mapping[str, Any],
    people: Sequence[PersonEntry] | None = None,
    *,
    acting_user: Actor,
    external_people: bool = True,
) -> list[str]:
    """Correct an item's fields (and persons, when given); returns what really changed.

    An editor may until the item is validated; after that only the Library may.
    """
    model = type(item)
    current = model._default_manager.select_for_update().get(pk=item.pk)
    if not can_change_fields(acting_user, current):
        noun = model.workflow_noun
        if current.workflow_status == WorkflowStatus.VALIDATED and is_editor(acting_user, current):
            raise NotAllowedError(
                f"This {noun} has been validated: only the Library can change it now. "
                "Use 'Request a change' to tell them what to correct."
            )
        raise NotAllowedError(f"You can only change {noun}s of your own.")
    _check_fields(model, fields)
    plain, relations = _split(model, fields)
    changed = [name for name, value in plain.items() if getattr(current, name) != value]
    before: dict[str, Any] = snapshot(current, changed)
    old_relations = _relations_snapshot(current, list(relations))
    old_people = _person_ids(current)
    old_people_text = _people_text(current)
    for name in changed:
        setattr(current, name, plain[name])
    current.full_clean()
    if changed:
        current.save(update_fields=[*changed, "updated_at"])
    after: dict[str, Any] = snapshot(current, changed)
    for name, values in relations.items():
        new = sorted(related.pk for related in values)
        if new != old_relations[name]:
            getattr(current, name).set(values)
            before[name], after[name] = old_relations[name], new
            changed.append(name)
    if people is not None:
        _check_people(people, external=external_people)
        wanted = [entry.label for entry in people]
        rows = model.people_model().rows_of(current).select_related("person")
        stored = [
            PersonEntry(row.person, row.name, row.organisation, row.role).label for row in rows
        ]
        if stored != wanted:
            _set_people(current, people)
            before["people"], after["people"] = old_people_text, wanted
            changed.append("people")
    for name in ("updated_at", *plain):
        setattr(item, name, getattr(current, name))
    if not changed:
        return []
    caching.forget_profiles([*old_people, *_person_ids(current), current.owner_id])
    record_change(
        actor=acting_user,
        action=AuditAction.UPDATE,
        target=current,
        person=current.owner,
        before=before,
        after=after,
    )
    return changed


@transaction.atomic
def do_validate_item(item: Item, *, acting_user: Actor) -> Item:
    """The Library validates a submitted item (or clears a validated item's change request);
    its researchers are told by e-mail once the validation is committed."""
    return validate(item, acting_user, partial(notifications.item_validated, type(item)))


@transaction.atomic
def do_validate_items(items: Iterable[Item], *, acting_user: Actor) -> list[Item]:
    """Validate a selection at once: all of them, or none (and no mail) if one cannot be."""
    return [do_validate_item(item, acting_user=acting_user) for item in items]


@transaction.atomic
def do_return_item(item: Item, comment: str, *, acting_user: Actor) -> Item:
    """The Library sends an item back to its researchers with a comment ("Returned"); they
    get the comment by e-mail once the return is committed."""
    return return_to_researcher(
        item, comment, acting_user, partial(notifications.item_returned, type(item))
    )
