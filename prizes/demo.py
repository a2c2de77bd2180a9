"""Demo prizes and honours: about one for every ten researchers, Chris WONG's among them."""

from __future__ import annotations

import datetime
import random

from portal.choices import OwnedItemStatus
from portal.owned_demo import (
    DRAFT_EVERY,
    DemoItem,
    chris_id,
    draw_people,
    import_items,
    person_ids,
    wipe_items,
)
from prizes.kind import KIND

PRIZES = (
    ("Best Paper Award", "Asia-Pacific Library Summit", "Singapore", "SG"),
    ("Early Career Research Award", "Research Grants Council", "Hong Kong", "HK"),
    ("Teaching Excellence Award", "City University of Hong Kong", "Hong Kong", "HK"),
    ("Fellow", "Chartered Institute of Library and Information Professionals", "London", "GB"),
    ("Outstanding Reviewer", "Elsevier", "Amsterdam", "NL"),
)


def count_for(persons: int, outputs: int) -> int:
    return max(3, persons // 10 + outputs // 5000)


def build_demo(persons: int, outputs: int, seed: int) -> int:
    """Invent and write the prizes; returns how many."""
    rng = random.Random(seed + 13_002)
    ids = person_ids()
    if not ids:
        return 0
    items: list[DemoItem] = []
    chris = chris_id()
    if chris is not None:
        items.append(
            DemoItem(
                owner=chris,
                title="Library Innovation Award for HKALL",
                values={
                    "organisation": "Joint University Librarians Advisory Committee",
                    "city": "Hong Kong",
                    "country": "HK",
                    "awarded_on": datetime.date(2007, 11, 20),
                    "description": "For the user-initiated resource sharing service HKALL.",
                },
                people=[(chris, "")],
            )
        )
    for number in range(count_for(persons, outputs) - len(items)):
        title, organisation, city, country = rng.choice(PRIZES)
        owner = rng.choice(ids)
        items.append(
            DemoItem(
                owner=owner,
                title=title,
                values={
                    "organisation": organisation,
                    "city": city,
                    "country": country,
                    "awarded_on": datetime.date(
                        2010 + rng.randrange(16), 1 + rng.randrange(12), 1 + rng.randrange(28)
                    ),
                    "description": "",
                },
                people=draw_people(rng, ids, owner, (), most=2),
                status=(
                    OwnedItemStatus.DRAFT
                    if number % DRAFT_EVERY == DRAFT_EVERY - 1
                    else OwnedItemStatus.PUBLIC
                ),
            )
        )
    return import_items(KIND, items)


def wipe_demo() -> None:
    wipe_items(KIND)
