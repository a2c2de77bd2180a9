"""A project, its participants and its workflow comments."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from portal.choices import Visibility, WorkflowStatus
from portal.models import OrgUnit, ResearchOutput
from portal.models.owned import period_text
from portal.models.validated import ValidatedItem, ValidatedPerson
from portal.models.workflow import WorkflowComment


class ProjectStatus(models.TextChoices):
    """Derived from the period and the day it is asked on (never stored)."""

    NOT_STARTED = "not_started", "Not started"
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"


class Project(ValidatedItem):
    """A research project: title, acronym, period, funder and grant number, participants with
    their roles, units and related research outputs."""

    workflow_noun = "project"
    EDITABLE_FIELDS = (
        "title",
        "acronym",
        "start_date",
        "end_date",
        "funder",
        "grant_number",
        "description",
    )
    RELATION_FIELDS = ("units", "related_outputs")

    acronym = models.CharField(max_length=50, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    funder = models.CharField(max_length=300, blank=True)
    grant_number = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True, max_length=10_000)
    units = models.ManyToManyField(OrgUnit, blank=True, related_name="projects")
    related_outputs = models.ManyToManyField(ResearchOutput, blank=True, related_name="projects")

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["workflow_status", "start_date"], name="project_status_date_idx"),
            models.Index(
                fields=["submitted_at", "id"],
                condition=models.Q(workflow_status="for_validation"),
                name="project_queue_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="project_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(workflow_status__in=WorkflowStatus.values),
                name="project_workflow_status_valid",
            ),
        ]

    def status_on(self, today: datetime.date) -> ProjectStatus:
        if today < self.start_date:
            return ProjectStatus.NOT_STARTED
        if self.end_date is not None and today > self.end_date:
            return ProjectStatus.FINISHED
        return ProjectStatus.RUNNING

    @property
    def status(self) -> ProjectStatus:
        return self.status_on(timezone.localdate())

    def facts(self) -> list[tuple[str, str]]:
        return [
            (label, text)
            for label, text in (
                ("Acronym", self.acronym),
                ("Period", period_text(self.start_date, self.end_date)),
                ("Status", self.status.label),
                ("Funder", self.funder),
                ("Grant number", self.grant_number),
                ("Description", self.description),
            )
            if text
        ]

    def related(self) -> list[tuple[str, list[Any]]]:
        found: list[tuple[str, list[Any]]] = [
            ("Research units", list(self.units.all())),
            (
                "Research output",
                list(
                    self.related_outputs.filter(
                        workflow_status=WorkflowStatus.VALIDATED, visibility=Visibility.PUBLIC
                    )
                ),
            ),
        ]
        # Datasets and impact relate themselves to projects when their apps are installed.
        for name, label in (("datasets", "Datasets"), ("impacts", "Impact")):
            relation = getattr(self, name, None)
            if relation is not None and hasattr(relation.model, "public_condition"):
                found.append((label, list(relation.filter(relation.model.public_condition()))))
        return found


class ProjectPerson(ValidatedPerson):
    """A participant of a project: a researcher of the portal or an external person, with
    their role (principal investigator, co-investigator ...)."""

    item = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="people")

    class Meta(ValidatedPerson.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["item", "person"],
                condition=models.Q(person__isnull=False),
                name="project_person_once",
            )
        ]
        indexes = [models.Index(fields=["person", "item"], name="project_person_idx")]


class ProjectComment(WorkflowComment):
    """The Library's reason to return a project, or a researcher's change request."""

    item = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="comments")

    class Meta(WorkflowComment.Meta):
        pass
