"""ORCID accounts and their browser sign-ins.

The sandbox keeps its own accounts rather than Django's auth users: it stands for another
organisation, and Django's user table belongs to the portal's database.
"""

from __future__ import annotations

from django.db import models

from orcid_sandbox.choices import Visibility


class Account(models.Model):
    """A registered researcher: an ORCID iD, its sign-in credentials and personal data."""

    orcid = models.CharField("ORCID iD", max_length=19, unique=True)
    email = models.EmailField(unique=True)
    password = models.CharField(max_length=200)
    given_names = models.CharField(max_length=150)
    family_name = models.CharField(max_length=150, blank=True)
    credit_name = models.CharField("published name", max_length=150, blank=True)
    other_names = models.TextField("also known as", blank=True, help_text="One name per line.")
    country = models.CharField(max_length=2, blank=True)
    keywords = models.TextField(blank=True, help_text="One keyword per line.")
    biography = models.TextField(blank=True)
    names_visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    # Where a deprecated (merged) record now lives: the API answers 301 towards it.
    primary_orcid = models.CharField(max_length=19, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["orcid"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.orcid})"

    @property
    def display_name(self) -> str:
        return self.credit_name or self.full_name

    @property
    def full_name(self) -> str:
        """Given and family names: what ORCID prints where the researcher is an assertion origin.

        The seed shows a record headed by its published name "Chris WONG - demo" whose works
        read "Source: Chris WONG via Scopus - Elsevier"."""
        return f"{self.given_names} {self.family_name}".strip()

    def other_name_list(self) -> list[str]:
        return [line.strip() for line in self.other_names.splitlines() if line.strip()]

    def keyword_list(self) -> list[str]:
        return [line.strip() for line in self.keywords.splitlines() if line.strip()]


class SignInSession(models.Model):
    """A browser signed in as an account; deleting the row signs it out everywhere it was used."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="sign_ins")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"sign-in of {self.account.orcid}"


class SignInFailure(models.Model):
    """A failed sign-in: the account tried (or the name typed) and the address it came from."""

    # The account's iD when the name typed was one of an account, else the name as typed: so
    # unknown names are throttled alike and the answer tells nobody which names exist.
    account_key = models.CharField(max_length=254)
    address = models.CharField(max_length=64)
    failed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["account_key", "failed_at"], name="signin_failure_account"),
            models.Index(fields=["address", "failed_at"], name="signin_failure_address"),
        ]

    def __str__(self) -> str:
        return f"failed sign-in as {self.account_key} from {self.address}"
