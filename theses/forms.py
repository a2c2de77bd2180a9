"""The student thesis form of the researcher backend."""

from __future__ import annotations

from django import forms

from portal.validated_forms import ValidatedItemForm
from theses.models import Thesis


class ThesisForm(ValidatedItemForm):
    """A thesis's fields and its supervisors (researchers of the portal) with their roles."""

    class Meta:
        model = Thesis
        fields = Thesis.EDITABLE_FIELDS
        widgets = {"award_date": forms.DateInput(attrs={"type": "date"})}
