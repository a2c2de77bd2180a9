"""Demo student theses: about one for every eight researchers as supervisors; most awarded,
some still in progress (no award date, so not public even once validated)."""

from __future__ import annotations

import datetime
import random

from portal.owned_demo import chris_id, person_ids
from portal.validated_demo import (
    DemoItem,
    DemoPerson,
    import_items,
    pick,
    state_of,
    unit_of_persons,
    wipe_items,
)
from theses.kind import KIND
from theses.models import Degree

TOPICS = (
    "Resource sharing among academic libraries",
    "Information-seeking behaviour of engineering students",
    "Metadata quality in institutional repositories",
    "Open educational resources in Hong Kong",
    "Bibliometric indicators and research evaluation",
)
STUDENTS = ("CHAN Tai Man", "LEE Siu Ming", "WONG Ka Yan", "HO Wing Sze", "LAM Chi Keung")


def count_for(persons: int, outputs: int) -> int:
    return max(5, persons // 8)


def build_demo(persons: int, outputs: int, seed: int) -> int:
    """Invent and write the theses; returns how many."""
    rng = random.Random(seed + 13_301)
    ids = person_ids()
    units = unit_of_persons()
    if not ids or not units:
        return 0
    chris = chris_id()
    total = count_for(persons, outputs)
    owners = [chris] if chris is not None else []
    owners += [rng.choice(ids) for _ in range(total - len(owners))]
    items: list[DemoItem] = []
    for number, owner in enumerate(owners):
        degree = rng.choice(list(Degree))
        year = 2015 + rng.randrange(11)
        awarded = None if number % 6 == 5 else datetime.date(year, 6 + rng.randrange(6), 15)
        supervisors = pick(rng, ids, owner, 2)
        items.append(
            DemoItem(
                owner=owner,
                title=f"{rng.choice(TOPICS)}: a {degree.label} study",
                values={
                    "student_name": rng.choice(STUDENTS),
                    "degree": degree.value,
                    "award_date": awarded,
                    "awarding_unit_id": units.get(owner, next(iter(units.values()))),
                    "abstract": "",
                },
                people=[
                    DemoPerson(person, "Supervisor" if index == 0 else "Co-supervisor")
                    for index, person in enumerate(supervisors)
                ],
                state=state_of(number),
            )
        )
    return import_items(KIND, items)


def wipe_demo() -> None:
    wipe_items(KIND)
