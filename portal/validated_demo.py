"""Demo content of the types the Library validates (projects, datasets, student theses),
written on the portal's bulk path.

Each app's `demo.py` invents its items deterministically (a seeded random generator over the
demo's persons) and hands them to `import_items`; `wipe_items` empties its tables before the
portal's own reset. Items come in every workflow state, most of them validated.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

from portal.actions import do_import_rows, reset_primary_key_sequences
from portal.choices import WorkflowStatus
from portal.models import Contributor, Position
from portal.owned_demo import _through_columns
from portal.validated import ValidatedKind

DEMO_TIME = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)
# Of every twenty items: two waiting for the Library, one in progress, one returned; the
# others validated (the first of all validated, so a small demo shows one).
STATES = [WorkflowStatus.VALIDATED] * 20
STATES[1] = STATES[11] = WorkflowStatus.FOR_VALIDATION
STATES[3] = WorkflowStatus.ENTRY_IN_PROGRESS
STATES[7] = WorkflowStatus.RETURNED
# Related outputs are looked up for this many owners at most (the bulk of a 50,000-person
# demo needs none, and reading every authorship of a million outputs would be slow).
RELATED_OWNERS = 2_000


@dataclass
class DemoPerson:
    """A person of an item: an internal person's id, or an external name."""

    person: int | None
    role: str = ""
    name: str = ""
    organisation: str = ""


@dataclass
class DemoItem:
    """One invented item: its own fields, its persons in order, its relations."""

    owner: int
    title: str
    values: dict[str, Any]
    people: list[DemoPerson]
    state: WorkflowStatus = WorkflowStatus.VALIDATED
    relations: dict[str, list[int]] = field(default_factory=dict)


def state_of(number: int) -> WorkflowStatus:
    return STATES[number % len(STATES)]


def unit_of_persons() -> dict[int, int]:
    """Each person's first unit (one query)."""
    units: dict[int, int] = {}
    for person_id, unit_id in Position.objects.order_by("pk").values_list(
        "person_id", "org_unit_id"
    ):
        units.setdefault(person_id, unit_id)
    return units


def outputs_of(person_ids: Sequence[int], most: int = 3) -> dict[int, list[int]]:
    """Up to `most` output ids of each of the first RELATED_OWNERS persons (one query)."""
    chosen = sorted(set(person_ids))[:RELATED_OWNERS]
    found: dict[int, list[int]] = {}
    rows = Contributor.objects.filter(person_id__in=chosen).order_by("person_id", "output_id")
    for person_id, output_id in rows.values_list("person_id", "output_id"):
        if person_id is not None and len(found.setdefault(person_id, [])) < most:
            found[person_id].append(output_id)
    return found


def import_items(kind: ValidatedKind, items: Sequence[DemoItem]) -> int:
    """Write the items, their persons and relations with explicit keys; one audit entry each
    table (the bulk path's). Returns how many items were written."""
    if not items:
        return 0
    model = kind.model
    start = (model._default_manager.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    value_names = list(items[0].values)
    do_import_rows(
        model,
        [
            "id",
            "title",
            "owner",
            "workflow_status",
            "submitted_at",
            "validated_at",
            "change_requested",
            "created_at",
            "updated_at",
            *value_names,
        ],
        [
            (
                start + index,
                item.title,
                item.owner,
                item.state.value,
                None if item.state == WorkflowStatus.ENTRY_IN_PROGRESS else DEMO_TIME,
                DEMO_TIME if item.state == WorkflowStatus.VALIDATED else None,
                False,
                DEMO_TIME,
                DEMO_TIME,
                *(item.values[name] for name in value_names),
            )
            for index, item in enumerate(items)
        ],
        acting_user=None,
        description=f"demo {kind.plural}",
    )
    people_model = model.people_model()
    do_import_rows(
        people_model,
        ["item", "person", "name", "organisation", "role", "position"],
        [
            (start + index, row.person, row.name, row.organisation, row.role, position)
            for index, item in enumerate(items)
            for position, row in enumerate(item.people)
        ],
        acting_user=None,
        description=f"demo {kind.plural}: persons",
    )
    touched: list[type[Model]] = [model, people_model]
    for name in model.RELATION_FIELDS:
        through = getattr(model, name).through
        source, target = _through_columns(through, model)
        do_import_rows(
            through,
            [source, target],
            [
                (start + index, related)
                for index, item in enumerate(items)
                for related in dict.fromkeys(item.relations.get(name, []))
            ],
            acting_user=None,
            description=f"demo {kind.plural}: {name}",
        )
        touched.append(through)
    reset_primary_key_sequences(*touched)
    return len(items)


def wipe_items(kind: ValidatedKind) -> None:
    """Empty the type's tables (relations, comments, persons, items) without the ORM's
    collector."""
    model = kind.model
    tables: list[type[Model]] = [
        *(getattr(model, name).through for name in model.RELATION_FIELDS),
        model.comment_model(),
        model.people_model(),
        model,
    ]
    for table in tables:
        queryset = table._default_manager.all()
        queryset._raw_delete(queryset.db)


def pick(rng: random.Random, ids: Sequence[int], owner: int, most: int) -> list[int]:
    """The owner first, then up to `most - 1` other persons, each once."""
    chosen = [owner]
    for _ in range(rng.randrange(most)):
        other = rng.choice(ids)
        if other not in chosen:
            chosen.append(other)
    return chosen
