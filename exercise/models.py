"""Where each researcher stands in the exercise, as last checked."""

from __future__ import annotations

from django.db import models

from portal.models import Person


class Part2State(models.TextChoices):
    COMPLETE = "complete", "Complete"
    INCOMPLETE = "incomplete", "Not yet"
    NOT_APPLICABLE = "not_applicable", "Not applicable (no Scopus Author ID)"
    UNKNOWN = "unknown", "Could not be checked"


class ExerciseStatus(models.Model):
    """Part 1: an authenticated ORCID iD connected to the portal. Part 2: the ORCID record lists
    the Scopus Author ID and the Scopus profile shows the ORCID iD (design §2, §8)."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="exercise")
    part1_complete = models.BooleanField(default=False)
    part2_state = models.CharField(
        max_length=20, choices=Part2State.choices, default=Part2State.UNKNOWN
    )
    orcid = models.CharField(max_length=19, blank=True)
    scopus_author_id = models.CharField(max_length=20, blank=True)
    # None: not checked (no iD to check with, or the service did not answer).
    orcid_lists_scopus_id = models.BooleanField(null=True)
    scopus_shows_orcid = models.BooleanField(null=True)
    next_step = models.CharField(max_length=500, blank=True)
    checked_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["part1_complete", "part2_state"], name="exercise_state_idx")
        ]

    def __str__(self) -> str:
        return f"Exercise status of {self.person}"
