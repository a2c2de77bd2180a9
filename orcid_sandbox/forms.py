"""Forms of the registry's web pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.hashers import check_password

import identifiers
from orcid_sandbox.choices import Visibility
from orcid_sandbox.models import Account


class SignInForm(forms.Form):
    """Sign in with an e-mail address or an ORCID iD, and a password."""

    username = forms.CharField(label="Email or ORCID iD", max_length=254)
    password = forms.CharField(
        label="Password", max_length=200, strip=False, widget=forms.PasswordInput
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        username, password = cleaned.get("username", ""), cleaned.get("password", "")
        if not username or not password:
            return cleaned
        account = Account.objects.filter(email=username.strip().lower()).first()
        if account is None:
            try:
                orcid = identifiers.normalise(identifiers.Scheme.ORCID, username)
            except identifiers.IdentifierError:
                orcid = ""
            account = Account.objects.filter(orcid=orcid).first() if orcid else None
        if account is None or not check_password(password, account.password):
            raise forms.ValidationError("Invalid email/ORCID iD or password.")
        cleaned["account"] = account
        return cleaned


class RegisterForm(forms.Form):
    """Create an ORCID iD."""

    given_names = forms.CharField(label="First name", max_length=150)
    family_name = forms.CharField(label="Last name", max_length=150, required=False)
    email = forms.EmailField(label="Primary email", max_length=254)
    password = forms.CharField(
        label="Password", min_length=8, max_length=200, strip=False, widget=forms.PasswordInput
    )

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if Account.objects.filter(email=email).exists():
            raise forms.ValidationError(
                "This email address is already registered: sign in instead."
            )
        return email


class ClientForm(forms.Form):
    """Register a member API client (developer tools)."""

    name = forms.CharField(label="Name", max_length=150)
    website = forms.URLField(label="Website", max_length=200, assume_scheme="https")
    redirect_uris = forms.CharField(
        label="Redirect URIs (one per line)",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_redirect_uris(self) -> list[str]:
        uris = [
            line.strip() for line in self.cleaned_data["redirect_uris"].splitlines() if line.strip()
        ]
        validator = forms.URLField(assume_scheme="https")
        for uri in uris:
            validator.clean(uri)
        if not uris or len(uris) > 10:
            raise forms.ValidationError("Give between one and ten redirect URIs.")
        return uris


def lines_of(text: str, *, limit: int, length: int, what: str) -> list[str]:
    """Non-empty lines of a textarea, each at most `length` characters, at most `limit` lines."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > limit:
        raise forms.ValidationError(f"At most {limit} {what}.")
    for line in lines:
        if len(line) > length:
            raise forms.ValidationError(f"Each of the {what} may have at most {length} characters.")
    return lines


class PersonalDataForm(forms.Form):
    """The researcher's own personal data on the record page."""

    given_names = forms.CharField(label="Given names", max_length=150)
    family_name = forms.CharField(label="Family name", max_length=150, required=False)
    credit_name = forms.CharField(label="Published name", max_length=150, required=False)
    names_visibility = forms.ChoiceField(
        label="Who can see your names, other names, country and keywords",
        choices=Visibility.choices,
    )
    other_names = forms.CharField(
        label="Also known as (one per line)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    country = forms.CharField(
        label="Country (two-letter code, e.g. HK)", max_length=2, required=False
    )
    keywords = forms.CharField(
        label="Keywords (one per line)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    biography = forms.CharField(
        label="Biography", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    websites = forms.CharField(
        label="Websites & Social Links (one per line: a URL, optionally after a name and a space)",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_other_names(self) -> str:
        text = self.cleaned_data["other_names"]
        return "\n".join(lines_of(text, limit=50, length=255, what="other names"))

    def clean_keywords(self) -> str:
        text = self.cleaned_data["keywords"]
        return "\n".join(lines_of(text, limit=50, length=100, what="keywords"))

    def clean_country(self) -> str:
        country: str = self.cleaned_data["country"].strip().upper()
        if country and not (len(country) == 2 and country.isascii() and country.isalpha()):
            raise forms.ValidationError("Give a two-letter country code such as HK.")
        return country

    def clean_websites(self) -> list[tuple[str, str]]:
        links = []
        validator = forms.URLField(assume_scheme="https", max_length=2000)
        for line in lines_of(self.cleaned_data["websites"], limit=20, length=2355, what="websites"):
            name, _, url = line.rpartition(" ")
            url = validator.clean(url)
            if not url.startswith(("http://", "https://")):
                raise forms.ValidationError("Websites must be http or https addresses.")
            links.append((name.strip()[:355], url))
        return links
