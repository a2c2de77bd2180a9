"""A student thesis, its supervisors and its workflow comments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from portal.choices import WorkflowStatus
from portal.models import OrgUnit
from portal.models.owned import date_text
from portal.models.validated import ValidatedItem, ValidatedPerson
from portal.models.workflow import WorkflowComment


class Degree(models.TextChoices):
    PHD = "phd", "PhD"
    MPHIL = "mphil", "MPhil"
    MASTER = "master", "Master"
    BACHELOR = "bachelor", "Bachelor"


class Thesis(ValidatedItem):
    """A student's thesis supervised by researchers of the portal: public once the Library has
    validated it and the degree has been awarded (an award date on or before today)."""

    workflow_noun = "thesis"
    EDITABLE_FIELDS = (
        "title",
        "student_name",
        "degree",
        "award_date",
        "awarding_unit",
        "abstract",
    )

    student_name = models.CharField("author (student)", max_length=200)
    degree = models.CharField(max_length=10, choices=Degree.choices)
    award_date = models.DateField(
        null=True, blank=True, help_text="Leave empty until the degree is awarded."
    )
    awarding_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="awarded_theses"
    )
    abstract = models.TextField(blank=True, max_length=10_000)

    class Meta:
        ordering = ["-award_date", "-id"]
        verbose_name = "student thesis"
        verbose_name_plural = "student theses"
        indexes = [
            models.Index(fields=["workflow_status", "award_date"], name="thesis_status_award_idx"),
            models.Index(
                fields=["submitted_at", "id"],
                condition=models.Q(workflow_status="for_validation"),
                name="thesis_queue_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(workflow_status__in=WorkflowStatus.values),
                name="thesis_workflow_status_valid",
            ),
        ]

    @classmethod
    def public_condition(cls, now: datetime | None = None) -> models.Q:
        """Validated and awarded: a thesis is not public before its degree is awarded, i.e.
        before the award date begins in the portal's time zone (`now`: the current time
        unless given)."""
        today = timezone.localdate(now)
        return super().public_condition(now) & models.Q(award_date__lte=today)

    def facts(self) -> list[tuple[str, str]]:
        return [
            (label, text)
            for label, text in (
                ("Author", self.student_name),
                ("Degree", self.get_degree_display()),
                ("Award date", date_text(self.award_date) or "Not yet awarded"),
                ("Awarding unit", self.awarding_unit.name),
                ("Abstract", self.abstract),
            )
            if text
        ]

    def related(self) -> list[tuple[str, list[Any]]]:
        return [("Awarding unit", [self.awarding_unit])]


class ThesisPerson(ValidatedPerson):
    """A supervisor of a thesis: a researcher of the portal, with their role (supervisor,
    co-supervisor)."""

    item = models.ForeignKey(Thesis, on_delete=models.CASCADE, related_name="people")

    class Meta(ValidatedPerson.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["item", "person"],
                condition=models.Q(person__isnull=False),
                name="thesis_person_once",
            )
        ]
        indexes = [models.Index(fields=["person", "item"], name="thesis_person_idx")]


class ThesisComment(WorkflowComment):
    """The Library's reason to return a thesis, or a researcher's change request."""

    item = models.ForeignKey(Thesis, on_delete=models.CASCADE, related_name="comments")

    class Meta(WorkflowComment.Meta):
        pass
