"""The press / media form of the researcher backend."""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator

from portal.owned_forms import OwnedItemForm
from press.models import PressItem


class PressItemForm(OwnedItemForm):
    """A press item's fields and its persons with their roles."""

    url = forms.URLField(
        label="Link",
        max_length=1000,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    class Meta:
        model = PressItem
        # The link is the field declared above (https assumed when no scheme is typed).
        fields = tuple(name for name in PressItem.EDITABLE_FIELDS if name != "url")
        widgets = {
            "published_on": forms.DateInput(attrs={"type": "date"}),
            "status": forms.RadioSelect,
        }
