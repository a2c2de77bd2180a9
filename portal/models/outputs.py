"""Research outputs, their ordered contributors and identifiers."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.urls import reverse

from portal.choices import (
    OutputIdentifierType,
    OutputLicence,
    OutputSource,
    OutputType,
    PublicationStatus,
    Visibility,
    WorkflowStatus,
)
from portal.models.persons import OrgUnit, Person
from portal.models.workflow import WorkflowComment, WorkflowItem

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

TITLE_KEY_LENGTH = 255


def title_key_of(title: str) -> str:
    """A title reduced for matching: accents, case, punctuation and markup do not count."""
    folded = unicodedata.normalize("NFKD", title)
    folded = "".join(char for char in folded if not unicodedata.combining(char)).casefold()
    folded = re.sub(r"<[^>]{0,40}>", " ", folded)  # <i>, <sub> … in titles from Crossref/Scopus
    return " ".join(re.findall(r"\w+", folded))[:TITLE_KEY_LENGTH]


class ResearchOutput(WorkflowItem):
    """A publication or other research output, with its workflow and visibility."""

    workflow_noun = "output"

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
    # The units the output belongs to (Pure's "Organisational units"), besides the managing one.
    units = models.ManyToManyField(OrgUnit, blank=True, related_name="unit_outputs")
    # The dates of each publication status reached (Pure keeps one per status).
    submitted_date = models.DateField(null=True, blank=True)
    accepted_date = models.DateField(null=True, blank=True)
    epub_date = models.DateField("e-pub ahead of print date", null=True, blank=True)
    published_date = models.DateField(null=True, blank=True)
    article_number = models.CharField(max_length=50, blank=True, db_default="")
    edition = models.CharField(max_length=50, blank=True, db_default="")
    # Conference name, place and dates for contributions; the institution for theses.
    event = models.CharField(max_length=500, blank=True, db_default="")
    awarding_institution = models.CharField(max_length=255, blank=True, db_default="")
    open_access_url = models.URLField("open-access link", max_length=500, blank=True, db_default="")
    licence = models.CharField(
        max_length=20, choices=OutputLicence.choices, blank=True, db_default=""
    )
    # Lower-cased title words without punctuation: the duplicate check's title + year match.
    title_key = models.CharField(max_length=255, blank=True, db_default="", editable=False)
    # The workflow's columns (workflow_status, submitted_by/at, validated_at, change_requested)
    # come from WorkflowItem.
    # Set when the Library merged this output into another: its URL then redirects there.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_outputs"
    )
    # Pairs a person said are "Not a duplicate", so the check does not ask again.
    not_duplicates = models.ManyToManyField("self", blank=True, symmetrical=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-publication_year", "-publication_month", "-id"]
        indexes = [
            models.Index(
                fields=["-publication_year", "-publication_month", "-id"], name="output_date_idx"
            ),
            # The validation queue, oldest first, its counts per unit and its filters, read from
            # the index alone (PostgreSQL's index-only scans; SQLite keeps the partial index).
            models.Index(
                fields=["submitted_at", "id"],
                include=["managing_unit", "output_type", "publication_year", "submitted_by"],
                condition=models.Q(workflow_status="for_validation"),
                name="output_queue_idx",
            ),
            # The queue's filters, each from its own small partial index, oldest first: a unit
            # (managing), a submitter, a type and year, a year.
            *(
                models.Index(
                    fields=[*leading, "submitted_at", "id"],
                    condition=models.Q(workflow_status="for_validation"),
                    name=name,
                )
                for leading, name in (
                    (["managing_unit"], "output_queue_unit_idx"),
                    (["submitted_by"], "output_queue_submitter_idx"),
                    (["output_type", "publication_year"], "output_queue_type_year_idx"),
                    (["publication_year"], "output_queue_year_idx"),
                )
            ),
            models.Index(
                fields=["submitted_at", "id"],
                condition=models.Q(change_requested=True),
                name="output_change_requested_idx",
            ),
            models.Index(fields=["title_key", "publication_year"], name="output_title_key_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Kept with the title wherever it is saved, so the duplicate check can trust it.
        self.title_key = title_key_of(self.title)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "title_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("portal:output-detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        """Whether the public portal shows it: validated and visible to everyone."""
        return (
            self.workflow_status == WorkflowStatus.VALIDATED
            and self.visibility == Visibility.PUBLIC
        )

    def is_editor(self, user: User | AnonymousUser) -> bool:
        """Whether the user's researcher profile is among the output's contributors."""
        if user.pk is None:
            return False
        return self.contributors.filter(person__user_id=user.pk).exists()

    def workflow_person(self) -> Person | None:
        """The first internal author: the audit trail of a workflow change is theirs."""
        contributor = (
            self.contributors.filter(person__isnull=False).select_related("person").first()
        )
        return contributor.person if contributor else None

    @classmethod
    def comment_model(cls) -> type[OutputComment]:
        return OutputComment


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


class OutputComment(WorkflowComment):
    """A comment on an output's workflow: the Library's reason to return it, a change request."""

    ITEM_FIELD = "output"

    output = models.ForeignKey(ResearchOutput, on_delete=models.CASCADE, related_name="comments")

    class Meta(WorkflowComment.Meta):
        pass


class ImportBatch(models.Model):
    """An uploaded file of outputs (BibTeX, RIS) and what its import did: a large file runs as a
    background job, and its page shows progress, the entries imported and each one refused."""

    class State(models.TextChoices):
        PREVIEW = "preview", "Waiting for confirmation"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The researcher whose outputs these are (their author line is linked to their profile).
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=10)
    content = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREVIEW)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    # [{"line", "label", "title", "reasons"}] and [{"line", "title", "output", "reason"}]
    refused = models.JSONField(default=list, blank=True)
    duplicates = models.JSONField(default=list, blank=True)
    outcome = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"
