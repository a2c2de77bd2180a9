"""Press / Media as the portal shows it: menu item, search, person and unit sections."""

from __future__ import annotations

from portal.owned import OwnedKind
from press.forms import PressItemForm
from press.models import PressItem

KIND = OwnedKind(
    key="press",
    label="Press / Media",
    singular="press / media item",
    plural="press / media items",
    path="press-media",
    model=PressItem,
    form=PressItemForm,
    people_label="Persons",
    roles=True,
    search_fields=("title", "outlet"),
)
