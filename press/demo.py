"""Demo press and media items: about one for every twenty researchers."""

from __future__ import annotations

import datetime
import random

from portal.choices import OwnedItemStatus
from portal.owned_demo import (
    DRAFT_EVERY,
    DemoItem,
    draw_people,
    import_items,
    person_ids,
    wipe_items,
)
from press.kind import KIND

OUTLETS = (
    ("South China Morning Post", "https://www.scmp.com/"),
    ("RTHK", "https://news.rthk.hk/"),
    ("The Conversation", "https://theconversation.com/"),
    ("Times Higher Education", "https://www.timeshighereducation.com/"),
)
HEADLINES = (
    "Why university libraries lend to each other",
    "What open access means for readers",
    "Research data that others can reuse",
    "How researchers are counted and ranked",
)
ROLES = ("Interviewee", "Author", "Commentator")


def count_for(persons: int, outputs: int) -> int:
    return max(3, persons // 20 + outputs // 10_000)


def build_demo(persons: int, outputs: int, seed: int) -> int:
    """Invent and write the press items; returns how many."""
    rng = random.Random(seed + 13_004)
    ids = person_ids()
    if not ids:
        return 0
    items: list[DemoItem] = []
    for number in range(count_for(persons, outputs)):
        outlet, site = rng.choice(OUTLETS)
        owner = rng.choice(ids)
        items.append(
            DemoItem(
                owner=owner,
                title=rng.choice(HEADLINES),
                values={
                    "outlet": outlet,
                    "published_on": datetime.date(
                        2016 + rng.randrange(10), 1 + rng.randrange(12), 1 + rng.randrange(28)
                    ),
                    "url": f"{site}demo/{number + 1}",
                    "description": "",
                },
                people=draw_people(rng, ids, owner, ROLES, most=2),
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
