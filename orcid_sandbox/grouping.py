"""Works grouped as ORCID's record shows them (reference orcid-api.md §1.9): by shared
external ids, merged transitively, the preferred version first."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

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


class Grouped(Protocol):
    """What grouping needs of an item: its external ids and its rank among versions."""

    pk: Any
    external_ids: list[dict[str, str]]
    display_index: int
    created_at: datetime.datetime


Item = TypeVar("Item", bound=Grouped)


def groupable_keys(item: Grouped) -> set[tuple[str, str]]:
    return {
        (id_["type"], normalised_id_value(id_["type"], id_["value"]))
        for id_ in item.external_ids
        if id_["relationship"] not in (Relationship.PART_OF, Relationship.FUNDED_BY)
        and id_["value"]
    }


def group_by_ids(items: list[Item]) -> list[tuple[list[Item], list[dict[str, str]]]]:
    """Items sharing a groupable id, merged transitively (part-of and funded-by ids never
    group), each group's preferred version first, with the union of its groupable ids; the
    groups in the order of their first item."""
    parent = list(range(len(items)))

    def find(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    owner: dict[tuple[str, str], int] = {}
    for index, item in enumerate(items):
        for key in groupable_keys(item):
            if key in owner:
                parent[find(index)] = find(owner[key])
            else:
                owner[key] = index
    members: dict[int, list[Item]] = {}
    for index, item in enumerate(items):
        members.setdefault(find(index), []).append(item)
    groups = []
    for versions in members.values():
        versions.sort(key=lambda item: (-item.display_index, item.created_at, item.pk))
        seen: dict[tuple[str, str], dict[str, str]] = {}
        for item in versions:
            for id_ in item.external_ids:
                if id_["relationship"] in (Relationship.PART_OF, Relationship.FUNDED_BY):
                    continue
                key = (id_["type"], normalised_id_value(id_["type"], id_["value"]))
                if id_["value"] and key not in seen:
                    seen[key] = id_
        groups.append((versions, list(seen.values())))
    return groups


def group_works(works: list[Work]) -> list[WorkGroup]:
    """Group by shared groupable ids, merging transitively; part-of ids never group."""
    groups = [WorkGroup(works=versions, external_ids=ids) for versions, ids in group_by_ids(works)]
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
