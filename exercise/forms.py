"""The Library's report filters and campaign form."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone

from exercise.campaigns import DEFAULT_BODY, DEFAULT_SUBJECT, PLACEHOLDERS, template_problems
from exercise.models import Part2State
from portal.choices import PositionRole
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


class CampaignForm(forms.Form):
    """A new campaign: whom to invite, by when, how often to remind, and what to say."""

    name = forms.CharField(max_length=200, help_text="For the Library's own list.")
    unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.order_by("name"),
        required=False,
        empty_label="Every unit",
        help_text="Researchers of this unit and the units under it.",
    )
    role = forms.ChoiceField(
        choices=[("", "Every position"), *PositionRole.choices], required=False, label="Position"
    )
    deadline = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), help_text="No reminders after this day."
    )
    reminder_every_days = forms.IntegerField(
        min_value=1, max_value=90, initial=7, label="Remind every (days)"
    )
    max_reminders = forms.IntegerField(min_value=0, max_value=10, initial=3, label="Reminders")
    subject = forms.CharField(max_length=200, initial=DEFAULT_SUBJECT)
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 16}),
        initial=DEFAULT_BODY,
        max_length=10_000,
        label="Message",
        help_text="Placeholders: "
        + ", ".join(f"${{{name}}} ({meaning})" for name, meaning in PLACEHOLDERS.items()),
    )

    def clean_deadline(self) -> date:
        deadline: date = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError("The deadline has passed already.")
        if deadline > timezone.localdate() + timedelta(days=730):
            raise forms.ValidationError("Choose a deadline within two years.")
        return deadline

    def clean_subject(self) -> str:
        subject: str = self.cleaned_data["subject"]
        if "\n" in subject or "\r" in subject:
            raise forms.ValidationError("A subject is one line.")
        for problem in template_problems(subject):
            raise forms.ValidationError(problem)
        return subject

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        for problem in template_problems(body):
            raise forms.ValidationError(problem)
        return body
