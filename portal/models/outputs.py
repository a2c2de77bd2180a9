"""Research outputs, their ordered contributors and identifiers."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from portal.choices import (
    OutputIdentifierType,
    OutputSource,
    OutputType,
    PublicationStatus,
    Visibility,
    WorkflowStatus,
)
from portal.models.persons import OrgUnit, Person


class ResearchOutput(models.Model):
    """A publication or other research output, with its workflow and visibility."""

    output_type = models.CharField(max_length=30, choices=OutputType.choices)
    title = models.CharField(max_length=1000)
    subtitle = models.CharField(max_length=1000, blank=True)
    publication_year = models.PositiveSmallIntegerField()
    publication_month = models.PositiveSmallIntegerField(null=True, blank=True)
    publication_day = models.PositiveSmallIntegerField(null=True, blank=True)
    # The journal, book or conference the output appeared in.
    host_title = models.CharField(max_length=500, blank=True)
    volume = models.CharField(max_length=50, blank=True)
    issue = models.CharField(max_length=50, blank=True)
    pages = models.CharField(max_length=50, blank=True)
    publisher = models.CharField(max_length=255, blank=True)
    language = models.CharField(max_length=10, blank=True, default="en")
    abstract = models.TextField(blank=True)
    keywords = models.CharField(max_length=1000, blank=True)
    workflow_status = models.CharField(
        max_length=20, choices=WorkflowStatus.choices, default=WorkflowStatus.ENTRY_IN_PROGRESS
    )
    publication_status = models.CharField(
        max_length=20, choices=PublicationStatus.choices, default=PublicationStatus.PUBLISHED
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    source = models.CharField(max_length=10, choices=OutputSource.choices)
    managing_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="outputs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-publication_year", "-publication_month", "-id"]
        indexes = [
            models.Index(
                fields=["-publication_year", "-publication_month", "-id"], name="output_date_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:output-detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        """Whether the public portal shows it: validated and visible to everyone."""
        return (
            self.workflow_status == WorkflowStatus.VALIDATED
            and self.visibility == Visibility.PUBLIC
        )


class Contributor(models.Model):
    """One author (or editor) of an output, in order: an internal person or an external name."""

    output = models.ForeignKey(
        ResearchOutput, on_delete=models.CASCADE, related_name="contributors"
    )
    position = models.PositiveSmallIntegerField()
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="contributions"
    )
    given_names = models.CharField(max_length=150, blank=True)
    family_name = models.CharField(max_length=150)
    external_affiliation = models.CharField(max_length=255, blank=True)
    role = models.CharField(max_length=20, default="author")

    class Meta:
        ordering = ["output", "position"]
        constraints = [
            models.UniqueConstraint(fields=["output", "position"], name="unique_author_position")
        ]
        indexes = [models.Index(fields=["person", "output"], name="contributor_person_idx")]

    def __str__(self) -> str:
        return self.name_as_printed

    @property
    def name_as_printed(self) -> str:
        return f"{self.family_name}, {self.given_names}" if self.given_names else self.family_name


class OutputIdentifier(models.Model):
    """An identifier of an output (DOI, Scopus EID, ISBN …), stored in canonical form."""

    output = models.ForeignKey(ResearchOutput, on_delete=models.CASCADE, related_name="identifiers")
    id_type = models.CharField(max_length=10, choices=OutputIdentifierType.choices)
    value = models.CharField(max_length=255)

    class Meta:
        ordering = ["id_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["output", "id_type", "value"], name="unique_output_identifier"
            )
        ]
        indexes = [models.Index(fields=["id_type", "value"], name="output_identifier_idx")]

    def __str__(self) -> str:
        return f"{self.get_id_type_display()}: {self.value}"
