"""Demo datasets: about one for every ten researchers, each with its DOI and creators; the
validated ones relate to demo projects of their owner where there is one."""

from __future__ import annotations

import datetime
import random

from datasets.kind import KIND
from portal.choices import OutputLicence, WorkflowStatus
from portal.owned_demo import chris_id, person_ids
from portal.validated_demo import (
    DemoItem,
    DemoPerson,
    import_items,
    outputs_of,
    pick,
    state_of,
    wipe_items,
)
from projects.models import Project

SUBJECTS = (
    "Interlibrary loan requests",
    "Survey of research data practices",
    "Citation counts of journal articles",
    "Catalogue records with subject headings",
    "Usage logs of an institutional repository",
)
PUBLISHERS = ("CityU Scholars", "Dryad", "Zenodo", "DataSpace@HKUST")
LICENCES = (OutputLicence.CC_BY, OutputLicence.CC0, OutputLicence.CC_BY_NC)


def count_for(persons: int, outputs: int) -> int:
    return max(5, persons // 10 + outputs // 5000)


def build_demo(persons: int, outputs: int, seed: int) -> int:
    """Invent and write the datasets; returns how many."""
    rng = random.Random(seed + 13_201)
    ids = person_ids()
    if not ids:
        return 0
    projects_of: dict[int, list[int]] = {}
    validated = Project.objects.filter(workflow_status=WorkflowStatus.VALIDATED).order_by("pk")
    for project_id, owner_id in validated.values_list("pk", "owner_id"):
        projects_of.setdefault(owner_id, []).append(project_id)
    chris = chris_id()
    total = count_for(persons, outputs)
    owners = [chris] if chris is not None else []
    owners += [rng.choice(ids) for _ in range(total - len(owners))]
    related = outputs_of(owners, most=2)
    items: list[DemoItem] = []
    for number, owner in enumerate(owners):
        published = datetime.date(2016 + rng.randrange(10), 1 + rng.randrange(12), 1)
        if owner == chris and number == 0:
            title = "HKALL interlibrary loan requests, 2022-2025"
            state = WorkflowStatus.VALIDATED
        else:
            title = f"{rng.choice(SUBJECTS)}, {published.year}"
            state = state_of(number)
        creators = [DemoPerson(person, "Creator") for person in pick(rng, ids, owner, 3)]
        if number % 5 == 2:
            creators.append(
                DemoPerson(None, "Data collector", "Ann LEE", "University of Hong Kong")
            )
        items.append(
            DemoItem(
                owner=owner,
                title=title,
                values={
                    "doi": f"10.5061/dryad.demo{number:06d}",
                    "publisher": rng.choice(PUBLISHERS),
                    "publication_date": published,
                    "licence": rng.choice(LICENCES).value,
                    "description": "",
                },
                people=creators,
                state=state,
                relations={
                    "related_outputs": related.get(owner, []),
                    "projects": projects_of.get(owner, [])[:1],
                },
            )
        )
    return import_items(KIND, items)


def wipe_demo() -> None:
    wipe_items(KIND)
