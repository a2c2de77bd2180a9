"""What Scopus last said about a Scopus Author ID on a profile."""

from __future__ import annotations

from django.db import models

from portal.models import PersonIdentifier


class Verdict(models.TextChoices):
    CONSISTENT = "consistent", "Consistent with the researcher"
    INCONSISTENT = "inconsistent", "Doubtful: see the reasons"
    MERGED = "merged", "Merged into another profile"
    SPLIT = "split", "Split into other profiles"
    NOT_FOUND = "not_found", "Not found in Scopus"
    UNAVAILABLE = "unavailable", "Scopus could not be asked"


class ScopusCheck(models.Model):
    """The latest Author Retrieval check of one Scopus Author ID, with its reasons."""

    identifier = models.OneToOneField(
        PersonIdentifier, on_delete=models.CASCADE, related_name="scopus_check"
    )
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    reasons = models.JSONField(default=list)
    # The id Scopus answers with now (differs after a merge).
    current_id = models.CharField(max_length=20, blank=True)
    checked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Scopus check of {self.identifier.value}: {self.verdict}"
