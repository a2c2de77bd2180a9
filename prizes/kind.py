"""Prizes / Honours as the portal shows them: menu item, search, person and unit sections."""

from __future__ import annotations

from portal.owned import OwnedKind
from prizes.forms import PrizeForm
from prizes.models import Prize

KIND = OwnedKind(
    key="prizes",
    label="Prizes / Honours",
    singular="prize",
    plural="prizes",
    path="prizes",
    model=Prize,
    form=PrizeForm,
    people_label="Recipients",
    roles=False,
    search_fields=("title", "organisation"),
)
