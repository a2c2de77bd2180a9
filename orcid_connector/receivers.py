"""What the ORCID connector does when the portal tells it something (portal/signals.py).

Connected in OrcidConnectorConfig.ready().
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from orcid_connector.choices import ExportKind
from orcid_connector.models import ExportedItem
from portal.models import ResearchOutput
from portal.signals import output_merged


@receiver(output_merged, dispatch_uid="orcid_connector.follow_merged_output")
def follow_merged_output(
    sender: type[ResearchOutput], survivor: ResearchOutput, merged: ResearchOutput, **_: Any
) -> None:
    """A merged output's ORCID works become the survivor's, in the merge's transaction: the
    next export PUTs the survivor over each (same put-code) instead of deleting one work and
    posting another. A record that already holds the survivor keeps that one; the merged
    copy is then withdrawn as usual."""
    merged_key, survivor_key = f"output:{merged.pk}", f"output:{survivor.pk}"
    holding_survivor = ExportedItem.objects.filter(kind=ExportKind.WORK, key=survivor_key).values(
        "person_id", "orcid"
    )
    taken = {(row["person_id"], row["orcid"]) for row in holding_survivor}
    for item in ExportedItem.objects.select_for_update().filter(
        kind=ExportKind.WORK, key=merged_key
    ):
        if (item.person_id, item.orcid) not in taken:
            item.key = survivor_key
            item.save(update_fields=["key"])
