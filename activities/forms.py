"""The activity form of the researcher backend."""

from __future__ import annotations

from django import forms

from activities.models import Activity
from portal.owned_forms import OwnedItemForm


class ActivityForm(OwnedItemForm):
    """An activity's fields and its persons with their roles."""

    class Meta:
        model = Activity
        fields = Activity.EDITABLE_FIELDS
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "status": forms.RadioSelect,
        }
