"""ORCID put-codes follow a merged research output to the one that stays (issue 10).

When the Library merges output B into A, each record that held B as a work but not A keeps its
put-code under A's key, so the next export PUTs A's content onto the same ORCID work: no second
work (a duplicate) and no work left behind (an orphan). A record holding both keeps A's, and the
export DELETEs B's as it is no longer wanted.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from orcid_connector.choices import ExportKind
from orcid_connector.models import ExportedItem
from portal.models import ResearchOutput
from portal.signals import output_merged


@receiver(output_merged, dispatch_uid="orcid_connector.merging.follow_survivor")
def follow_survivor(
    sender: type[ResearchOutput], *, survivor: ResearchOutput, merged: ResearchOutput, **_: Any
) -> int:
    """Move the merged output's exported works to the survivor's key; returns how many."""
    old_key, new_key = f"output:{merged.pk}", f"output:{survivor.pk}"
    holding_survivor = ExportedItem.objects.filter(kind=ExportKind.WORK, key=new_key).values(
        "person_id", "orcid"
    )
    taken = {(row["person_id"], row["orcid"]) for row in holding_survivor}
    moved = 0
    for item in ExportedItem.objects.select_for_update().filter(kind=ExportKind.WORK, key=old_key):
        if (item.person_id, item.orcid) in taken:
            continue
        item.key = new_key
        item.save(update_fields=["key"])
        moved += 1
    return moved
