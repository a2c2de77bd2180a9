"""The impact form of the researcher backend."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model

from impacts.models import Impact
from portal.models import ResearchOutput
from portal.owned_forms import OwnedItemForm
from projects.models import Project

MAX_RELATED = 100
# A research output named by its number or its portal address (…/outputs/123/).
OUTPUT_REFERENCE = re.compile(r"^(?:.*/outputs/)?(\d{1,12})/?$")
PROJECT_REFERENCE = re.compile(r"^(?:.*/projects/)?(\d{1,12})/?$")


def parse_references(
    text: str, pattern: re.Pattern[str], model: type[Model], noun: str
) -> list[Any]:
    """The objects typed one a line by number or portal address, in order; every line at
    fault is named."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_RELATED:
        raise ValidationError(f"At most {MAX_RELATED} {noun}s can be related.")
    numbers: list[int] = []
    errors: list[str] = []
    for line in lines:
        match = pattern.match(line)
        if match is None:
            errors.append(f"“{line[:80]}” is not a {noun}'s number or address.")
        elif int(match.group(1)) not in numbers:
            numbers.append(int(match.group(1)))
    found = model._default_manager.in_bulk(numbers)
    errors += [f"No {noun} has the number {number}." for number in numbers if number not in found]
    if errors:
        raise ValidationError(errors)
    return [found[number] for number in numbers]


def parse_outputs(text: str) -> list[ResearchOutput]:
    """The research outputs typed one a line, in order."""
    return parse_references(text, OUTPUT_REFERENCE, ResearchOutput, "research output")


def parse_projects(text: str) -> list[Project]:
    """The projects typed one a line, in order."""
    return parse_references(text, PROJECT_REFERENCE, Project, "project")


class ImpactForm(OwnedItemForm):
    """An impact's fields, its participants with roles, and its related outputs."""

    related_projects = forms.CharField(
        label="Related projects",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line: the project's number or its address on the portal.",
    )
    related_outputs = forms.CharField(
        label="Related research output",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line: the output's number or its address on the portal.",
    )

    class Meta:
        model = Impact
        fields = Impact.EDITABLE_FIELDS
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "status": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["related_outputs"] = "\n".join(
                str(pk) for pk in self.instance.related_outputs.values_list("pk", flat=True)
            )
            self.initial["related_projects"] = "\n".join(
                str(pk) for pk in self.instance.related_projects.values_list("pk", flat=True)
            )

    def clean_related_outputs(self) -> list[ResearchOutput]:
        return parse_outputs(self.cleaned_data["related_outputs"])

    def clean_related_projects(self) -> list[Project]:
        return parse_projects(self.cleaned_data["related_projects"])
