"""Forms of the content the Library validates (projects, datasets, student theses).

Persons are typed one a line, which works without JavaScript at any number of researchers:
the profile's address or its last part (`chris-wong-demo`), or an external person's name with
their organisation in brackets (`Jane DOE (University of Oxford)`), then optionally a comma and
the role. Related research outputs are typed one a line too: the output's number or its
portal address. A line the portal cannot read is refused with the line quoted, and everything
else typed is kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from portal.actions.validated import MAX_PEOPLE, PersonEntry
from portal.choices import WorkflowStatus
from portal.models import Person, ResearchOutput
from portal.models.validated import ValidatedItem
from portal.owned_forms import profile_slug

ROLE_LENGTH = 100
NAME_LENGTH = 200
ORGANISATION_LENGTH = 255
MAX_RELATED = 200
EXTERNAL = re.compile(r"^(?P<name>[^()]+?)\s*(?:\((?P<organisation>[^()]*)\))?$")


def parse_people(text: str, *, external: bool) -> list[PersonEntry]:
    """The persons typed one a line, in order; ValidationError names every line at fault."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise ValidationError("Name at least one person.")
    if len(lines) > MAX_PEOPLE:
        raise ValidationError(f"At most {MAX_PEOPLE} persons can be named.")
    errors: list[str] = []
    parsed: list[tuple[str, str | None, str, str, str]] = []
    for line in lines:
        reference, _, role = line.rpartition(",")
        if not reference or ")" in role:  # no comma, or the comma is inside the brackets
            reference, role = line, ""
        reference, role = reference.strip(), role.strip()
        if len(role) > ROLE_LENGTH:
            errors.append(f"“{line[:80]}”: a role has at most {ROLE_LENGTH} characters.")
            continue
        slug = profile_slug(reference) if " " not in reference else None
        if slug is not None:
            parsed.append((line, slug, "", "", role))
            continue
        match = EXTERNAL.match(reference)
        if not external:
            errors.append(f"“{line[:80]}” is not a researcher's profile address.")
        elif match is None or " " not in match["name"].strip() or "/" in reference:
            errors.append(
                f"“{line[:80]}” is neither a researcher's profile address nor a name "
                "(an external person: given and family name, organisation in brackets)."
            )
        elif len(match["name"]) > NAME_LENGTH:
            errors.append(f"“{line[:80]}”: a name has at most {NAME_LENGTH} characters.")
        elif len(match["organisation"] or "") > ORGANISATION_LENGTH:
            errors.append(
                f"“{line[:80]}”: an organisation has at most {ORGANISATION_LENGTH} characters."
            )
        else:
            parsed.append(
                (line, None, match["name"].strip(), (match["organisation"] or "").strip(), role)
            )
    slugs = [slug for _, slug, _, _, _ in parsed if slug is not None]
    found = {person.slug: person for person in Person.objects.filter(slug__in=slugs)}
    entries: list[PersonEntry] = []
    seen: set[str] = set()
    for line, slug, name, organisation, role in parsed:
        if slug is None:
            entries.append(PersonEntry(None, name, organisation, role))
        elif slug not in found:
            errors.append(f"“{line[:80]}”: no researcher has this profile.")
        elif slug in seen:
            errors.append(f"“{line[:80]}”: this researcher is named twice.")
        else:
            seen.add(slug)
            entries.append(PersonEntry(found[slug], role=role))
    if errors:
        raise ValidationError(errors)
    return entries


def people_text(entries: Sequence[PersonEntry]) -> str:
    """The persons as the form shows them, one a line."""
    return "\n".join(entry.label for entry in entries)


def item_number(reference: str) -> int | None:
    """The item a line names: its number or its portal address (…/<type>/<number>/)."""
    reference = reference.strip()
    if "/" in reference:
        parts = [part for part in urlsplit(reference).path.split("/") if part]
        reference = parts[-1] if parts else ""
    return int(reference) if reference.isdigit() and len(reference) <= 12 else None


def parse_related(text: str, items: QuerySet[Any], noun: str) -> list[Any]:
    """The items typed one a line, each by its number or address, found in `items`, in order;
    ValidationError names every line at fault."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_RELATED:
        raise ValidationError(f"At most {MAX_RELATED} {noun}s can be related.")
    errors: list[str] = []
    numbers: list[tuple[str, int]] = []
    for line in lines:
        number = item_number(line)
        if number is None:
            errors.append(f"“{line[:80]}” is not a {noun}'s number or address.")
        else:
            numbers.append((line, number))
    found = items.in_bulk([number for _, number in numbers])
    chosen: list[Any] = []
    for line, number in numbers:
        if number not in found:
            errors.append(f"“{line[:80]}”: the portal holds no such {noun}.")
        elif found[number] not in chosen:
            chosen.append(found[number])
    if errors:
        raise ValidationError(errors)
    return chosen


def parse_outputs(text: str) -> list[ResearchOutput]:
    """The research outputs typed one a line (withdrawn ones refused), in order."""
    outputs = ResearchOutput.objects.exclude(workflow_status=WorkflowStatus.WITHDRAWN)
    return parse_related(text, outputs, "research output")


def related_field(label: str, help_text: str) -> forms.CharField:
    """A textarea of related items, one a line, by number or address."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
    )


def numbers_text(items: QuerySet[Any]) -> str:
    return "\n".join(str(pk) for pk in items.order_by("pk").values_list("pk", flat=True))


class ValidatedItemForm(forms.ModelForm):  # type: ignore[type-arg]
    """The fields of an item and its persons one a line (and, when the model relates research
    outputs, the outputs one a line). A subclass names the model and its fields in Meta."""

    people = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=40_000)

    def __init__(
        self,
        *args: Any,
        people_label: str = "Persons",
        external: bool = True,
        initial_people: Sequence[PersonEntry] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.external = external
        self.fields["people"].label = people_label
        self.fields["people"].help_text = (
            "One a line: the researcher's profile address or its last part (e.g. "
            "chris-wong-demo)"
            + (
                ", or an external person's name with the organisation in brackets"
                if external
                else ""
            )
            + "; then optionally a comma and the role."
        )
        if initial_people and not self.is_bound:
            self.initial["people"] = people_text(initial_people)
        if "related_outputs" in self.fields:
            self.fields["related_outputs"] = related_field(
                "Related research outputs",
                "One a line: the output's number or its portal address.",
            )
            if self.instance.pk and not self.is_bound:
                self.initial["related_outputs"] = numbers_text(self.instance.related_outputs)

    def clean_people(self) -> list[PersonEntry]:
        return parse_people(self.cleaned_data["people"], external=self.external)

    def clean_related_outputs(self) -> list[ResearchOutput]:
        return parse_outputs(self.cleaned_data["related_outputs"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date is before the start date.")
        return cleaned

    def item_fields(self) -> dict[str, Any]:
        """What the actions write: every field of the form but the persons."""
        model: type[ValidatedItem] = self._meta.model
        names = [*model.EDITABLE_FIELDS, *model.RELATION_FIELDS]
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}


class CommentForm(forms.Form):
    """The Library's reason to return an item, or a researcher's change request."""

    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
