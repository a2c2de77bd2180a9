"""The project form of the researcher backend."""

from __future__ import annotations

from django import forms

from portal.validated_forms import ValidatedItemForm
from projects.models import Project


class ProjectForm(ValidatedItemForm):
    """A project's fields, its units, related outputs and participants with their roles."""

    class Meta:
        model = Project
        fields = (*Project.EDITABLE_FIELDS, *Project.RELATION_FIELDS)
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "units": forms.SelectMultiple(attrs={"size": 6}),
        }
