"""Demo impact: about one for every two hundred research outputs, each related to outputs (and
a project, when the demo has one) of its owner."""

from __future__ import annotations

import datetime
import random

from impacts.kind import KIND
from portal.choices import OwnedItemStatus
from portal.models import Contributor
from portal.owned_demo import (
    DRAFT_EVERY,
    DemoItem,
    draw_people,
    import_items,
    person_ids,
    wipe_items,
)
from projects.models import Project

IMPACTS = (
    (
        "Shared borrowing across university libraries",
        "Readers borrow from every partner library through one request.",
    ),
    (
        "Open data policy adopted by a funder",
        "The funder now asks for research data to be deposited openly.",
    ),
    (
        "Training for school librarians",
        "Workshops on information literacy for secondary schools.",
    ),
    (
        "Museum exhibition on local history",
        "An exhibition drawing on the research reached 20,000 visitors.",
    ),
)
ROLES = ("Lead", "Contributor")


def count_for(persons: int, outputs: int) -> int:
    return max(2, outputs // 200 + persons // 100)


def build_demo(persons: int, outputs: int, seed: int) -> int:
    """Invent and write the impacts with their related outputs; returns how many."""
    rng = random.Random(seed + 13_003)
    ids = person_ids()
    if not ids:
        return 0
    items: list[DemoItem] = []
    for number in range(count_for(persons, outputs)):
        title, description = rng.choice(IMPACTS)
        owner = rng.choice(ids)
        start = datetime.date(2012 + rng.randrange(13), 1 + rng.randrange(12), 1)
        related = list(
            Contributor.objects.filter(person_id=owner)
            .order_by("output_id")
            .values_list("output_id", flat=True)[:2]
        )
        items.append(
            DemoItem(
                owner=owner,
                title=title,
                values={
                    "description": description,
                    "start_date": start,
                    "end_date": start + datetime.timedelta(days=365 * (1 + rng.randrange(3))),
                },
                people=draw_people(rng, ids, owner, ROLES),
                status=(
                    OwnedItemStatus.DRAFT
                    if number % DRAFT_EVERY == DRAFT_EVERY - 1
                    else OwnedItemStatus.PUBLIC
                ),
                relations={
                    "related_outputs": sorted(set(related)),
                    "related_projects": list(
                        Project.objects.filter(people__person_id=owner)
                        .order_by("pk")
                        .values_list("pk", flat=True)[:1]
                    ),
                },
            )
        )
    return import_items(KIND, items)


def wipe_demo() -> None:
    wipe_items(KIND)
