"""Activities as the portal shows them: menu item, search, person and unit sections."""

from __future__ import annotations

from activities.forms import ActivityForm
from activities.models import Activity
from portal.owned import OwnedKind

KIND = OwnedKind(
    key="activities",
    label="Activities",
    singular="activity",
    plural="activities",
    path="activities",
    model=Activity,
    form=ActivityForm,
    people_label="Persons",
    roles=True,
    search_fields=("title", "organisation", "city"),
)
