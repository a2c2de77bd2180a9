"""Impact as the portal shows it: menu item, search, person and unit sections."""

from __future__ import annotations

from impacts.forms import ImpactForm
from impacts.models import Impact
from portal.owned import OwnedKind

KIND = OwnedKind(
    key="impacts",
    label="Impact",
    singular="impact",
    plural="impacts",
    path="impact",
    model=Impact,
    form=ImpactForm,
    people_label="Participants",
    roles=True,
    search_fields=("title", "description"),
    prefetch=("related_outputs", "related_projects"),
)
