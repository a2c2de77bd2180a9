"""A dataset, its creators and its workflow comments."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

import identifiers
from portal.choices import OutputLicence, Visibility, WorkflowStatus
from portal.models import ResearchOutput
from portal.models.owned import date_text
from portal.models.validated import ValidatedItem, ValidatedPerson
from portal.models.workflow import WorkflowComment
from projects.models import Project


def validate_doi(value: str) -> None:
    """A DOI the `identifiers` package accepts (stored in its canonical form by the form)."""
    try:
        identifiers.normalise(identifiers.Scheme.DOI, value)
    except identifiers.IdentifierError as error:
        raise ValidationError(str(error)) from error


class Dataset(ValidatedItem):
    """Research data: title, DOI, publisher, date, licence, creators in order, related
    research outputs and projects."""

    workflow_noun = "dataset"
    EDITABLE_FIELDS = ("title", "doi", "publisher", "publication_date", "licence", "description")
    RELATION_FIELDS = ("related_outputs", "projects")

    doi = models.CharField("DOI", max_length=255, blank=True, validators=[validate_doi])
    publisher = models.CharField(max_length=300)
    publication_date = models.DateField("date")
    licence = models.CharField(max_length=20, choices=OutputLicence.choices, blank=True)
    description = models.TextField(blank=True, max_length=10_000)
    related_outputs = models.ManyToManyField(ResearchOutput, blank=True, related_name="datasets")
    projects = models.ManyToManyField(Project, blank=True, related_name="datasets")

    class Meta:
        ordering = ["-publication_date", "-id"]
        indexes = [
            models.Index(
                fields=["workflow_status", "publication_date"], name="dataset_status_date_idx"
            ),
            models.Index(
                fields=["submitted_at", "id"],
                condition=models.Q(workflow_status="for_validation"),
                name="dataset_queue_idx",
            ),
            models.Index(fields=["doi"], name="dataset_doi_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(workflow_status__in=WorkflowStatus.values),
                name="dataset_workflow_status_valid",
            ),
        ]

    def facts(self) -> list[tuple[str, str]]:
        return [
            (label, text)
            for label, text in (
                ("Publisher", self.publisher),
                ("Date", date_text(self.publication_date)),
                ("DOI", self.doi),
                ("Licence", self.get_licence_display() if self.licence else ""),
                ("Description", self.description),
            )
            if text
        ]

    def related(self) -> list[tuple[str, list[Any]]]:
        return [
            (
                "Research output",
                list(
                    self.related_outputs.filter(
                        workflow_status=WorkflowStatus.VALIDATED, visibility=Visibility.PUBLIC
                    )
                ),
            ),
            ("Projects", list(self.projects.filter(Project.public_condition()))),
        ]


class DatasetPerson(ValidatedPerson):
    """A creator of a dataset, in order: a researcher of the portal or an external person."""

    item = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="people")

    class Meta(ValidatedPerson.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["item", "person"],
                condition=models.Q(person__isnull=False),
                name="dataset_person_once",
            )
        ]
        indexes = [models.Index(fields=["person", "item"], name="dataset_person_idx")]


class DatasetComment(WorkflowComment):
    """The Library's reason to return a dataset, or a researcher's change request."""

    item = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="comments")

    class Meta(WorkflowComment.Meta):
        pass
