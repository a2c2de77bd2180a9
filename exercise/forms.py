"""The Library's report filters."""

from __future__ import annotations

from django import forms

from exercise.models import Part2State
from portal.models import OrgUnit

PART1_CHOICES = [("", "Any"), ("done", "Complete"), ("todo", "Not yet")]
FORMAT_CHOICES = [("", "Web page"), ("csv", "CSV"), ("xlsx", "Excel")]


class ReportFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.order_by("name"), required=False, empty_label="All units"
    )
    part1 = forms.ChoiceField(choices=PART1_CHOICES, required=False, label="Part 1")
    part2 = forms.ChoiceField(
        choices=[("", "Any"), *Part2State.choices, ("unchecked", "Never checked")],
        required=False,
        label="Part 2",
    )
    format = forms.ChoiceField(choices=FORMAT_CHOICES, required=False)
