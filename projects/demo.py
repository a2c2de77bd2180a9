"""Demo projects: about one for every four researchers, Chris WONG's HKALL project among them."""

from __future__ import annotations

import datetime
import random

from portal.choices import WorkflowStatus
from portal.owned_demo import chris_id, hand_over_organization_ids, person_ids
from portal.validated_demo import (
    DemoItem,
    DemoPerson,
    import_items,
    outputs_of,
    pick,
    state_of,
    unit_of_persons,
    wipe_items,
)
from projects.kind import KIND

FUNDERS = (
    ("Research Grants Council", "GRF"),
    ("Innovation and Technology Fund", "ITS"),
    ("National Natural Science Foundation of China", "NSFC"),
    ("Croucher Foundation", "CF"),
    ("University Grants Committee", "UGC"),
)
TOPICS = (
    "Open access publishing in Asia",
    "Linked data for library catalogues",
    "Citation networks of Hong Kong research",
    "Research data management services",
    "Machine learning for subject indexing",
    "Digital preservation of local newspapers",
    "Author disambiguation at scale",
)
EXTERNALS = (
    ("Jane DOE", "University of Oxford"),
    ("Kenji SATO", "University of Tokyo"),
    ("Maria GARCIA", "Universidad de Barcelona"),
)
ROLES = ("Co-investigator", "Co-investigator", "Researcher")


def count_for(persons: int, outputs: int) -> int:
    return max(5, persons // 4 + outputs // 2000)


def build_demo(persons: int, outputs: int, seed: int) -> int:
    """Invent and write the projects; returns how many."""
    # The first of the content demos seed-demo builds: it hands over the ids of the demo's
    # funders and other organisations, so the ORCID export can write fundings, distinctions and
    # memberships (portal.owned_demo.DEMO_ORGANIZATION_IDS).
    hand_over_organization_ids()
    rng = random.Random(seed + 13_101)
    ids = person_ids()
    if not ids:
        return 0
    units = unit_of_persons()
    chris = chris_id()
    total = count_for(persons, outputs)
    owners = [chris] if chris is not None else []
    owners += [rng.choice(ids) for _ in range(total - len(owners))]
    related = outputs_of(owners)
    items: list[DemoItem] = []
    for number, owner in enumerate(owners):
        if owner == chris and number == 0:
            title = "HKALL: user-initiated resource sharing across Hong Kong academic libraries"
            values = {
                "acronym": "HKALL",
                "start_date": datetime.date(2022, 9, 1),
                "end_date": datetime.date(2026, 8, 31),
                "funder": "University Grants Committee",
                "grant_number": "UGC/IDS(C)11/E01/22",
                "description": "Readers borrow from eight university libraries in one request.",
            }
            team = [DemoPerson(owner, "Principal investigator")]
            team += [DemoPerson(None, "Co-investigator", *EXTERNALS[0])]
            state = WorkflowStatus.VALIDATED  # his profile shows it
        else:
            funder, code = rng.choice(FUNDERS)
            start = datetime.date(2014 + rng.randrange(12), 1 + rng.randrange(12), 1)
            end = start + datetime.timedelta(days=365 * (1 + rng.randrange(4)))
            title = f"{rng.choice(TOPICS)} ({start.year})"
            values = {
                "acronym": "",
                "start_date": start,
                "end_date": end,
                "funder": funder,
                "grant_number": f"{code} {start.year % 100:02d}{number:05d}",
                "description": "",
            }
            team = [DemoPerson(owner, "Principal investigator")]
            team += [DemoPerson(other, rng.choice(ROLES)) for other in pick(rng, ids, owner, 3)[1:]]
            if number % 7 == 3:
                team.append(DemoPerson(None, "Co-investigator", *rng.choice(EXTERNALS)))
            state = state_of(number)
        items.append(
            DemoItem(
                owner=owner,
                title=title,
                values=values,
                people=team,
                state=state,
                relations={
                    "units": [units[owner]] if owner in units else [],
                    "related_outputs": related.get(owner, [])[:3],
                },
            )
        )
    return import_items(KIND, items)


def wipe_demo() -> None:
    wipe_items(KIND)
