"""The prize form of the researcher backend."""

from __future__ import annotations

from django import forms

from portal.owned_forms import OwnedItemForm
from prizes.models import Prize


class PrizeForm(OwnedItemForm):
    """A prize's fields and its recipients."""

    class Meta:
        model = Prize
        fields = Prize.EDITABLE_FIELDS
        widgets = {
            "awarded_on": forms.DateInput(attrs={"type": "date"}),
            "status": forms.RadioSelect,
        }
