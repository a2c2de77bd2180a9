"""The dataset form of the researcher backend."""

from __future__ import annotations

from typing import Any

from django import forms

import identifiers
from datasets.models import Dataset
from portal.validated_forms import ValidatedItemForm, numbers_text, parse_related, related_field
from projects.models import Project


class DatasetForm(ValidatedItemForm):
    """A dataset's fields, its creators in order, related outputs and projects."""

    class Meta:
        model = Dataset
        fields = (*Dataset.EDITABLE_FIELDS, *Dataset.RELATION_FIELDS)
        widgets = {
            "publication_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["doi"].help_text = "e.g. 10.5061/dryad.abc123 or https://doi.org/10.5061/…"
        self.fields["projects"] = related_field(
            "Related projects", "One a line: the project's number or its portal address."
        )
        if self.instance.pk and not self.is_bound:
            self.initial["projects"] = numbers_text(self.instance.projects)

    def clean_projects(self) -> list[Project]:
        """Validated projects only: an unvalidated one has no public page to link to."""
        projects = Project.objects.filter(Project.public_condition())
        return parse_related(self.cleaned_data["projects"], projects, "validated project")

    def clean_doi(self) -> str:
        value: str = self.cleaned_data["doi"].strip()
        if not value:
            return ""
        try:
            return identifiers.normalise(identifiers.Scheme.DOI, value)
        except identifiers.IdentifierError as error:
            raise forms.ValidationError(str(error)) from error
