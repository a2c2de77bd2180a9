"""Works grouped as ORCID's record shows them (reference orcid-api.md §1.9): by shared
external ids, merged transitively, the preferred version first."""

from __future__ import annotations

from dataclasses import dataclass

from orcid_sandbox.choices import Relationship
from orcid_sandbox.models import Work
from orcid_sandbox.rules import normalised_id_value


@dataclass
class WorkGroup:
    """Works that share a groupable external id, preferred first."""

    works: list[Work]
    external_ids: list[dict[str, str]]

    @property
    def preferred(self) -> Work:
        return self.works[0]


def groupable_keys(work: Work) -> set[tuple[str, str]]:
    return {
        (item["type"], normalised_id_value(item["type"], item["value"]))
        for item in work.external_ids
        if item["relationship"] not in (Relationship.PART_OF, Relationship.FUNDED_BY)
        and item["value"]
    }


def group_works(works: list[Work]) -> list[WorkGroup]:
    """Group by shared groupable ids, merging transitively; part-of ids never group."""
    parent = list(range(len(works)))

    def find(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    owner: dict[tuple[str, str], int] = {}
    for index, work in enumerate(works):
        for key in groupable_keys(work):
            if key in owner:
                parent[find(index)] = find(owner[key])
            else:
                owner[key] = index
    members: dict[int, list[Work]] = {}
    for index, work in enumerate(works):
        members.setdefault(find(index), []).append(work)
    groups = []
    for group_works_ in members.values():
        group_works_.sort(key=lambda work: (-work.display_index, work.created_at, work.pk))
        seen: dict[tuple[str, str], dict[str, str]] = {}
        for work in group_works_:
            for item in work.external_ids:
                if item["relationship"] in (Relationship.PART_OF, Relationship.FUNDED_BY):
                    continue
                key = (item["type"], normalised_id_value(item["type"], item["value"]))
                if item["value"] and key not in seen:
                    seen[key] = item
        groups.append(WorkGroup(works=group_works_, external_ids=list(seen.values())))
    # Newest first by the preferred version's date, then title and type alphabetically.
    groups.sort(key=lambda group: (group.preferred.title.casefold(), group.preferred.work_type))
    groups.sort(
        key=lambda group: (
            group.preferred.publication_year or "0000",
            group.preferred.publication_month or "00",
            group.preferred.publication_day or "00",
        ),
        reverse=True,
    )
    return groups
