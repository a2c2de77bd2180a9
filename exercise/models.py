"""Where each researcher stands in the exercise, the Library's campaigns, and the Scopus Author
IDs the portal found for researchers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from exercise.choices import MessageKind, Part2State, Problem, Progress, SuggestionState
from portal.choices import PositionRole
from portal.models import OrgUnit, Person

__all__ = [
    "Campaign",
    "CampaignMessage",
    "DailyProgress",
    "ExerciseOptOut",
    "ExerciseStatus",
    "Part2State",
    "ScopusIdSuggestion",
]


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
    problem = models.CharField(max_length=30, choices=Problem.choices, blank=True, default="")
    problem_detail = models.CharField(max_length=300, blank=True)
    checked_at = models.DateTimeField()
    # When Part 2 was last asked of ORCID and Scopus (Part 1 alone changes without asking).
    part2_checked_at = models.DateTimeField(null=True, blank=True)
    # When the portal last looked for the researcher's Scopus Author IDs (step 1).
    discovered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["part1_complete", "part2_state"], name="exercise_state_idx")
        ]

    def __str__(self) -> str:
        return f"Exercise status of {self.person}"

    @property
    def progress(self) -> Progress:
        """The one word the Library's chart counts this researcher under."""
        if self.problem:
            return Progress.PROBLEM
        if not self.part1_complete:
            return Progress.NOT_STARTED
        if self.part2_state == Part2State.COMPLETE:
            return Progress.PART2
        if self.part2_state == Part2State.NOT_APPLICABLE:
            return Progress.NOT_APPLICABLE
        return Progress.PART1


class DailyProgress(models.Model):
    """How many current researchers stood where on a day: the line of completion over time."""

    day = models.DateField()
    progress = models.CharField(max_length=20, choices=Progress.choices)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "progress"], name="daily_progress_unique")
        ]
        ordering = ["day", "progress"]

    def __str__(self) -> str:
        return f"{self.day}: {self.count} {self.progress}"


class ExerciseOptOut(models.Model):
    """A researcher who asked not to be mailed about the exercise again."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="exercise_opt_out")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.person} opted out of exercise mail"


class Campaign(models.Model):
    """The Library inviting a selection of researchers by e-mail, then reminding them on a
    schedule until they are done, the deadline passes or the reminders run out."""

    name = models.CharField(max_length=200)
    # The selection: every current researcher not done, narrowed by unit and position.
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=30, choices=PositionRole.choices, blank=True)
    deadline = models.DateField()
    reminder_every_days = models.PositiveSmallIntegerField(default=7)
    max_reminders = models.PositiveSmallIntegerField(default=3)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class CampaignMessage(models.Model):
    """One message of a campaign to one researcher; the unique sequence number is what keeps
    anyone from being mailed twice for one reminder."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="messages")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exercise_messages")
    sequence = models.PositiveSmallIntegerField(help_text="0: the invitation; 1, 2 …: reminders")
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    to_address = models.EmailField()
    claimed_at = models.DateTimeField(default=timezone.now)
    # Empty while sending, or when sending failed (then `error` says why); never resent.
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "person", "sequence"], name="campaign_message_once"
            )
        ]
        ordering = ["-claimed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sequence} of {self.campaign} to {self.person}"


class ScopusIdSuggestion(models.Model):
    """A Scopus Author ID the portal found on the Scopus records of a researcher's validated
    outputs (the seed's step 1, answered for them)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="scopus_id_suggestions"
    )
    author_id = models.CharField(max_length=20)
    # On how many of the researcher's validated outputs found in Scopus this profile is the
    # researcher's authorship, out of how many were found.
    matched = models.PositiveIntegerField()
    found = models.PositiveIntegerField()
    state = models.CharField(
        max_length=20, choices=SuggestionState.choices, default=SuggestionState.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "author_id"], name="scopus_id_suggestion_unique"
            )
        ]
        indexes = [models.Index(fields=["person", "state"], name="suggestion_person_state_idx")]
        ordering = ["-matched", "author_id"]

    def __str__(self) -> str:
        return f"{self.author_id} for {self.person} ({self.matched} of {self.found})"
