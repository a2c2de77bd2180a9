"""Forms of the researcher backend and the library console."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from portal.actions import (
    EDITABLE_PROFILE_FIELDS,
    LIBRARY_PROFILE_FIELDS,
    check_identifier_free,
    normalise_person_identifier,
)
from portal.choices import IdentifierStatus, LinkType, PersonIdentifierType
from portal.errors import PortalError
from portal.models import Person

MAX_PENDING_IDENTIFIERS = 20
# Long enough for a research statement; short enough that one form post cannot bloat a row.
MAX_PROFILE_TEXT = 5000


class AccessibleErrorsMixin(forms.BaseForm):
    """Marks fields at fault for screen readers: aria-invalid, and the error message linked."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                # The templates give each error message the id "<field id>-error".
                attrs["aria-describedby"] = f"{self[name].auto_id}-error"


class StaffLoginForm(AuthenticationForm):
    """Backend login with the staff ID (EID); other authentication backends reuse it."""

    username = forms.CharField(
        label="EID", max_length=50, widget=forms.TextInput(attrs={"autofocus": True})
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ProfileForm(AccessibleErrorsMixin, forms.ModelForm):
    """The profile fields of "Edit profile"; library staff also see the HR-fed ones."""

    profile_text = forms.CharField(
        label="Profile text",
        max_length=MAX_PROFILE_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    class Meta:
        model = Person
        fields = LIBRARY_PROFILE_FIELDS

    def __init__(self, *args: Any, library: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not library:
            for name in set(LIBRARY_PROFILE_FIELDS) - set(EDITABLE_PROFILE_FIELDS):
                del self.fields[name]


class NewIdentifierForm(forms.Form):
    """The "Add ID" dialog: an ID type and a value, checked at once on "Create"."""

    new_id_type = forms.ChoiceField(label="ID type", choices=PersonIdentifierType.choices)
    new_id_value = forms.CharField(label="Value", max_length=300, strip=True)

    def __init__(self, *args: Any, person: Person, pending: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.person = person
        self.pending = pending

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        id_type, raw = cleaned.get("new_id_type"), cleaned.get("new_id_value")
        if not id_type or not raw:
            return cleaned
        try:
            value = normalise_person_identifier(id_type, raw)
            check_identifier_free(self.person, id_type, value)
        except PortalError as error:
            self.add_error("new_id_value", str(error))
            return cleaned
        if (id_type, value) in self.pending:
            self.add_error("new_id_value", "You have already added this ID; click Save to keep it.")
        elif id_type == PersonIdentifierType.ORCID and any(
            pending_type == PersonIdentifierType.ORCID for pending_type, _ in self.pending
        ):
            self.add_error("new_id_value", "A profile holds one ORCID iD.")
        elif len(self.pending) >= MAX_PENDING_IDENTIFIERS:
            self.add_error("new_id_value", "Save the IDs you have added before adding more.")
        cleaned["new_id_value"] = value
        return cleaned


class NewLinkForm(AccessibleErrorsMixin, forms.Form):
    """A link to add under "Other Links" when the profile is saved; both fields or neither."""

    new_link_type = forms.ChoiceField(
        label="Link type", choices=[("", "—"), *LinkType.choices], required=False
    )
    new_link_url = forms.URLField(
        label="Link address", max_length=500, required=False, assume_scheme="https"
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("new_link_url") and not cleaned.get("new_link_type"):
            self.add_error("new_link_type", "Choose what kind of link this is.")
        if cleaned.get("new_link_type") and not cleaned.get("new_link_url") and not self.errors:
            self.add_error("new_link_url", "Enter the link's address.")
        return cleaned


class IdentifierStatusForm(forms.Form):
    """Library staff verify or reject an identifier, saying why."""

    status = forms.ChoiceField(
        choices=[
            (IdentifierStatus.VERIFIED, "Verified"),
            (IdentifierStatus.REJECTED, "Rejected"),
            (IdentifierStatus.ENTERED, "Entered (not checked)"),
        ]
    )
    evidence = forms.CharField(
        label="Evidence", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PersonSearchForm(forms.Form):
    """The search box of the Researchers page and the library console."""

    q = forms.CharField(label="Name or identifier", max_length=200, required=False)
    unit = forms.SlugField(label="Research unit", max_length=120, required=False)


class OutputSearchForm(forms.Form):
    """The filters of the Research Output page."""

    q = forms.CharField(label="Title", max_length=200, required=False)
    year = forms.IntegerField(label="Year", min_value=1000, max_value=2999, required=False)
    type = forms.CharField(label="Type", max_length=30, required=False)
    unit = forms.SlugField(label="Research unit", max_length=120, required=False)
