"""Persons, research units, positions, links and person identifiers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from portal.choices import (
    IdentifierStatus,
    LinkType,
    OrgUnitType,
    PersonIdentifierType,
    PersonStatus,
    PositionRole,
)


class OrgUnit(models.Model):
    """A research unit in the university's hierarchy (faculty, department, library, centre)."""

    name = models.CharField(max_length=255)
    short_name = models.CharField(max_length=50, blank=True)
    slug = models.SlugField(max_length=120, unique=True)
    unit_type = models.CharField(max_length=20, choices=OrgUnitType.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    address = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:unit-detail", args=[self.slug])


class Person(models.Model):
    """A researcher or member of staff, as HR knows them and as the portal shows them."""

    # The staff ID ("EID") is what the researcher logs in to the backend with.
    staff_id = models.CharField("EID", max_length=50, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    slug = models.SlugField(max_length=150, unique=True)
    honorific = models.CharField(max_length=30, blank=True)
    given_names = models.CharField("official given names", max_length=150)
    family_name = models.CharField("official family name", max_length=150)
    known_as = models.CharField(
        "known as", max_length=255, blank=True, help_text="The name shown on the portal."
    )
    native_name = models.CharField("name in native language", max_length=255, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    address = models.CharField(max_length=255, blank=True)
    profile_text = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=PersonStatus.choices, default=PersonStatus.CURRENT
    )
    # Lower-cased official, known-as, native and variant names, kept by the actions for search.
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_name", "given_names"]
        indexes = [models.Index(fields=["family_name", "given_names"], name="person_name_idx")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.known_as or f"{self.given_names} {self.family_name.upper()}"

    def get_absolute_url(self) -> str:
        return reverse("portal:person-detail", args=[self.slug])


class NameVariant(models.Model):
    """Another name a person publishes or is known under ("Wong, C.", "Wong Tai Ming")."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_variants")
    given_names = models.CharField(max_length=150, blank=True)
    family_name = models.CharField(max_length=150)

    class Meta:
        ordering = ["family_name", "given_names"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "family_name", "given_names"], name="unique_name_variant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.family_name}, {self.given_names}" if self.given_names else self.family_name


class Position(models.Model):
    """A person's role in a research unit over a period."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="positions")
    role = models.CharField(max_length=30, choices=PositionRole.choices)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    is_primary = models.BooleanField(default=True)

    class Meta:
        ordering = ["-is_primary", "-start_date"]
        indexes = [models.Index(fields=["org_unit", "person"], name="position_unit_idx")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}, {self.org_unit}"


class PersonLink(models.Model):
    """A link on the profile's "Other Links" list (Google Scholar, a homepage …)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="links")
    link_type = models.CharField(max_length=20, choices=LinkType.choices)
    url = models.URLField(max_length=500)
    label = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["link_type", "id"]

    def __str__(self) -> str:
        return self.label or self.get_link_type_display()


class PersonIdentifier(models.Model):
    """An identifier of a person in another system (ORCID iD, Scopus Author ID …)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    id_type = models.CharField("ID type", max_length=30, choices=PersonIdentifierType.choices)
    value = models.CharField(max_length=100, help_text="Stored in the scheme's canonical form.")
    status = models.CharField(
        max_length=20, choices=IdentifierStatus.choices, default=IdentifierStatus.ENTERED
    )
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    evidence = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id_type", "id"]
        constraints = [
            # An identifier names one person: the same Scopus Author ID on two profiles is an
            # error the library must sort out, never something to store silently.
            models.UniqueConstraint(fields=["id_type", "value"], name="unique_identifier_value"),
            models.UniqueConstraint(
                fields=["person"], condition=Q(id_type="orcid"), name="one_orcid_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_id_type_display()}: {self.value}"
