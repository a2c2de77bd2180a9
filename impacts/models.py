"""An impact, its participants and what it relates to."""

from __future__ import annotations

from typing import Any

from django.db import models

from portal.choices import OwnedItemStatus, Visibility, WorkflowStatus
from portal.models import ResearchOutput
from portal.models.owned import ItemPerson, OwnedItem, period_text
from projects.models import Project


class Impact(OwnedItem):
    """The effect of research beyond academia: what, when, who took part, and which outputs
    (and projects) it came from."""

    EDITABLE_FIELDS = ("title", "description", "start_date", "end_date", "status")
    RELATION_FIELDS = ("related_outputs", "related_projects")

    description = models.TextField(max_length=20_000)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    related_outputs = models.ManyToManyField(ResearchOutput, blank=True, related_name="+")
    related_projects = models.ManyToManyField(Project, blank=True, related_name="impacts")

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["status", "start_date"], name="impact_status_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="impact_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=OwnedItemStatus.values), name="impact_status_valid"
            ),
        ]

    def facts(self) -> list[tuple[str, str]]:
        return [
            (label, text)
            for label, text in (
                ("Period", period_text(self.start_date, self.end_date)),
                ("Description", self.description),
            )
            if text
        ]

    def summary(self) -> str:
        return period_text(self.start_date, self.end_date)

    def related(self) -> list[tuple[str, list[Any]]]:
        """What the detail page links to: the related projects and outputs the public may see."""
        outputs = [
            output
            for output in self.related_outputs.all()
            if output.workflow_status == WorkflowStatus.VALIDATED
            and output.visibility == Visibility.PUBLIC
        ]
        projects = [project for project in self.related_projects.all() if project.is_public]
        found: list[tuple[str, list[Any]]] = []
        if projects:
            found.append(("Related projects", projects))
        if outputs:
            found.append(("Related research output", outputs))
        return found


class ImpactParticipant(ItemPerson):
    """A researcher who took part in the impact, with their role."""

    item = models.ForeignKey(Impact, on_delete=models.CASCADE, related_name="people")

    class Meta(ItemPerson.Meta):
        constraints = [
            models.UniqueConstraint(fields=["item", "person"], name="impact_participant_once")
        ]
