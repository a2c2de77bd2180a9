"""Forms of the Scopus sandbox's web pages."""

from __future__ import annotations

import re

from django import forms

from identifiers import IdentifierError, Scheme, normalise

AUTHOR_ID_RE = re.compile(r"^\d{10,11}$")


class DocumentSearchForm(forms.Form):
    """Document search: words of the title, or Scopus's advanced syntax."""

    q = forms.CharField(label="Search documents", max_length=1_000, required=False)


class AuthorSearchForm(forms.Form):
    """Author search by name, affiliation or ORCID iD."""

    last = forms.CharField(label="Author last name", max_length=200, required=False)
    first = forms.CharField(label="Author first name", max_length=200, required=False)
    affiliation = forms.CharField(label="Affiliation", max_length=300, required=False)
    orcid = forms.CharField(label="ORCID iD", max_length=60, required=False)

    def clean_orcid(self) -> str:
        raw = self.cleaned_data["orcid"].strip()
        if not raw:
            return ""
        try:
            return normalise(Scheme.ORCID, raw)
        except IdentifierError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self) -> dict[str, str]:
        data = super().clean() or {}
        if not self.errors and not any(data.get(k) for k in ("last", "affiliation", "orcid")):
            raise forms.ValidationError("Enter a last name, an affiliation or an ORCID iD.")
        return data


class FeedbackForm(forms.Form):
    """The Author Feedback Wizard: preferred name, documents to remove, profiles to merge."""

    given_name = forms.CharField(label="Preferred first name", max_length=200, required=False)
    surname = forms.CharField(label="Preferred last name", max_length=200)
    remove = forms.MultipleChoiceField(
        label="Remove documents that are not yours",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    merge = forms.CharField(
        label="Request to merge with these Author IDs (comma-separated)",
        max_length=400,
        required=False,
    )
    email = forms.EmailField(label="Your e-mail address")

    def __init__(self, *args: object, documents: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        remove = self.fields["remove"]
        assert isinstance(remove, forms.MultipleChoiceField)  # noqa: S101 - narrows the type
        remove.choices = documents

    def clean_merge(self) -> list[str]:
        raw = self.cleaned_data["merge"]
        ids = [part.strip() for part in re.split(r"[,\s]+", raw) if part.strip()]
        bad = [value for value in ids if not AUTHOR_ID_RE.match(value)]
        if bad:
            raise forms.ValidationError(f"{bad[0][:20]} is not an Author ID (10 or 11 digits).")
        return ids
