"""Demo content of the types researchers publish directly, written on the portal's bulk path.

Each app's `demo.py` invents its items deterministically (a seeded random generator over the
demo's persons) and hands them to `import_items`; `wipe_items` empties its tables before the
portal's own reset (which deletes persons with raw DELETEs the items would block).

The demo's external organisations (granting organisations, funders, societies) get their ORCID
organisation ids here, in DEMO_ORGANIZATION_IDS, the one place: `hand_over_organization_ids`
writes them to var/demo for the ORCID export, which reads them after ORCID_ORGANIZATION_IDS.
"""

from __future__ import annotations

import datetime
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Model

from portal.actions import do_import_rows, reset_primary_key_sequences
from portal.choices import OwnedItemStatus
from portal.models import Person
from portal.owned import OwnedKind

DEMO_TIME = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)
CHRIS_SLUG = "chris-wong-demo"
# One item in this many is left a draft, as researchers leave some unfinished.
DRAFT_EVERY = 10

# ORCID refuses a funding, distinction or membership whose organisation has no disambiguated
# id (9045), and the portal keeps organisations as names: these are the ids of the demo's
# organisations, keyed by name as orcid_connector.export_sections looks them up (the demo
# institution's own Ringgold id comes from PORTAL_INSTITUTION_RINGGOLD). Only the University
# of Hong Kong's is real (its ROR id); every "demo-" id is invented for the offline demo and
# would be refused by the real ORCID: a deployment names its organisations' true ids in
# ORCID_ORGANIZATION_IDS instead.
DEMO_ORGANIZATION_IDS: dict[str, dict[str, str]] = {
    # Chris WONG's prize and his HKALL project's funder
    "Joint University Librarians Advisory Committee": {
        "source": "ROR",
        "id": "demo-julac",
        "city": "Hong Kong",
        "country": "HK",
    },
    "University Grants Committee": {
        "source": "ROR",
        "id": "demo-ugc",
        "city": "Wan Chai",
        "country": "HK",
    },
    # The other demo researchers' funders, granting organisations and societies
    "Research Grants Council": {
        "source": "ROR",
        "id": "demo-rgc",
        "city": "Wan Chai",
        "country": "HK",
    },
    "Innovation and Technology Fund": {
        "source": "ROR",
        "id": "demo-itf",
        "city": "Hong Kong",
        "country": "HK",
    },
    "Croucher Foundation": {
        "source": "ROR",
        "id": "demo-croucher",
        "city": "Hong Kong",
        "country": "HK",
    },
    "National Natural Science Foundation of China": {
        "source": "ROR",
        "id": "demo-nsfc",
        "city": "Beijing",
        "country": "CN",
    },
    "Hong Kong Library Association": {
        "source": "ROR",
        "id": "demo-hkla",
        "city": "Hong Kong",
        "country": "HK",
    },
    "University of Hong Kong": {
        "source": "ROR",
        "id": "https://ror.org/02zhqgq86",
        "city": "Hong Kong",
        "country": "HK",
    },
}
ORGANIZATION_IDS_FILE = "demo/orcid-organization-ids.json"


@dataclass
class DemoItem:
    """One invented item: its own fields, its persons (person id, role), its relations."""

    owner: int
    title: str
    values: dict[str, Any]
    people: list[tuple[int, str]]
    status: str = OwnedItemStatus.PUBLIC
    relations: dict[str, list[int]] = field(default_factory=dict)


def person_ids() -> list[int]:
    """Every demo person's id, in order (the generator draws from them)."""
    return list(Person.objects.order_by("pk").values_list("pk", flat=True))


def chris_id() -> int | None:
    return Person.objects.filter(slug=CHRIS_SLUG).values_list("pk", flat=True).first()


def draw_people(
    rng: random.Random, ids: Sequence[int], owner: int, roles: Sequence[str], most: int = 3
) -> list[tuple[int, str]]:
    """The owner first, then up to `most - 1` colleagues, each once, with a role drawn."""
    people = [(owner, rng.choice(roles) if roles else "")]
    for _ in range(rng.randrange(most)):
        other = rng.choice(ids)
        if all(other != person for person, _ in people):
            people.append((other, rng.choice(roles) if roles else ""))
    return people


def import_items(kind: OwnedKind, items: Sequence[DemoItem]) -> int:
    """Write the items, their persons and relations with explicit keys; one audit entry each
    table (the bulk path's). Returns how many items were written."""
    if not items:
        return 0
    model = kind.model
    start = (model._default_manager.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    value_names = list(items[0].values)
    do_import_rows(
        model,
        ["id", "title", "owner", "status", "created_at", "updated_at", *value_names],
        [
            (
                start + index,
                item.title,
                item.owner,
                item.status,
                DEMO_TIME,
                DEMO_TIME,
                *(item.values[name] for name in value_names),
            )
            for index, item in enumerate(items)
        ],
        acting_user=None,
        description=f"demo {kind.plural}",
    )
    people_model = kind.people_model
    do_import_rows(
        people_model,
        ["item", "person", "role", "position"],
        [
            (start + index, person, role, position)
            for index, item in enumerate(items)
            for position, (person, role) in enumerate(item.people)
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
                for related in item.relations.get(name, [])
            ],
            acting_user=None,
            description=f"demo {kind.plural}: {name}",
        )
        touched.append(through)
    reset_primary_key_sequences(*touched)
    return len(items)


def _through_columns(through: type[Model], model: type[Model]) -> tuple[str, str]:
    """The field names of a many-to-many table: the side of `model`, then the other side."""
    names = [f.name for f in through._meta.get_fields() if getattr(f, "many_to_one", False)]
    own = next(f.name for f in through._meta.get_fields() if f.related_model is model)
    other = next(name for name in names if name != own)
    return own, other


def wipe_items(kind: OwnedKind) -> None:
    """Empty the type's tables (relations, persons, items) without the ORM's collector."""
    model = kind.model
    tables: list[type[Model]] = [
        *(getattr(model, name).through for name in model.RELATION_FIELDS),
        kind.people_model,
        model,
    ]
    for table in tables:
        queryset = table._default_manager.all()
        queryset._raw_delete(queryset.db)


def organization_ids_path() -> Path:
    """Where the demo hands its organisation ids to the ORCID export (under SCHOLARHUB_VAR_DIR)."""
    return Path(settings.VAR_DIR) / ORGANIZATION_IDS_FILE


def hand_over_organization_ids() -> Path:
    """Write DEMO_ORGANIZATION_IDS for the ORCID export of the running demo; returns the file."""
    path = organization_ids_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(DEMO_ORGANIZATION_IDS, indent=2, sort_keys=True), encoding="utf-8")
    return path
