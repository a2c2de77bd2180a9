"""Forms of the registry's web pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.hashers import check_password

import identifiers
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
        email = self.cleaned_data["email"].strip().lower()
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
