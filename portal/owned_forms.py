"""Forms of the content researchers publish directly: a model form per type plus the persons.

Persons are typed one a line, which works without JavaScript at any number of researchers:
the profile's address or its last part (`chris-wong-demo`), then optionally a comma and the
role (`chris-wong-demo, Keynote speaker`). A line naming no researcher is refused with the line
quoted, and everything else typed is kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError

from portal.actions.owned import MAX_PEOPLE, PersonEntry
from portal.models import Person
from portal.models.owned import OwnedItem

SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,150}$")
ROLE_LENGTH = 200


def profile_slug(reference: str) -> str | None:
    """The profile slug a line names: a bare slug or a profile address (…/persons/<slug>/)."""
    reference = reference.strip()
    if "/" in reference:
        parts = [part for part in urlsplit(reference).path.split("/") if part]
        if len(parts) >= 2 and parts[-2] == "persons":
            reference = parts[-1]
        else:
            return None
    return reference if SLUG.match(reference) else None


def parse_people(text: str, *, roles: bool) -> list[PersonEntry]:
    """The persons typed one a line, in order; ValidationError names every line at fault."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise ValidationError("Name at least one person.")
    if len(lines) > MAX_PEOPLE:
        raise ValidationError(f"At most {MAX_PEOPLE} persons can be named.")
    wanted: list[tuple[str, str, str]] = []
    errors: list[str] = []
    for line in lines:
        reference, _, role = line.partition(",")
        role = role.strip()
        slug = profile_slug(reference)
        if slug is None:
            errors.append(f"“{line[:80]}” is not a researcher's profile address.")
        elif role and not roles:
            errors.append(f"“{line[:80]}”: no role is recorded here, only the person.")
        elif len(role) > ROLE_LENGTH:
            errors.append(f"“{line[:80]}”: a role has at most {ROLE_LENGTH} characters.")
        else:
            wanted.append((line, slug, role))
    found = {
        person.slug: person
        for person in Person.objects.filter(slug__in=[slug for _, slug, _ in wanted])
    }
    entries: list[PersonEntry] = []
    seen: set[str] = set()
    for line, slug, role in wanted:
        if slug not in found:
            errors.append(f"“{line[:80]}”: no researcher has this profile.")
        elif slug in seen:
            errors.append(f"“{line[:80]}”: this person is named twice.")
        else:
            seen.add(slug)
            entries.append(PersonEntry(found[slug], role))
    if errors:
        raise ValidationError(errors)
    return entries


def people_text(entries: Sequence[PersonEntry]) -> str:
    """The persons as the form shows them, one a line."""
    return "\n".join(
        f"{entry.person.slug}, {entry.role}" if entry.role else entry.person.slug
        for entry in entries
    )


class OwnedItemForm(forms.ModelForm):  # type: ignore[type-arg]
    """The fields of an item, its status, and its persons one a line.

    A subclass names the model and its fields in Meta; `people_label` and `roles` come from the
    type (`OwnedKind`).
    """

    people = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
        help_text=(
            "One a line: the researcher's profile address or its last part "
            "(e.g. chris-wong-demo), then optionally a comma and the role."
        ),
    )

    def __init__(
        self,
        *args: Any,
        people_label: str = "Persons",
        roles: bool = True,
        initial_people: Sequence[PersonEntry] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.roles = roles
        self.fields["people"].label = people_label
        if not roles:
            self.fields["people"].help_text = (
                "One a line: the researcher's profile address or its last part "
                "(e.g. chris-wong-demo)."
            )
        if initial_people and not self.is_bound:
            self.initial["people"] = people_text(initial_people)

    def clean_people(self) -> list[PersonEntry]:
        return parse_people(self.cleaned_data["people"], roles=self.roles)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date is before the start date.")
        return cleaned

    def item_fields(self) -> dict[str, Any]:
        """What the actions write: every field of the form but the persons."""
        model: type[OwnedItem] = self._meta.model
        names = [*model.EDITABLE_FIELDS, *model.RELATION_FIELDS]
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}
