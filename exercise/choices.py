"""The exercise's vocabularies."""

from __future__ import annotations

from django.db import models


class Part2State(models.TextChoices):
    COMPLETE = "complete", "Complete"
    INCOMPLETE = "incomplete", "Not yet"
    NOT_APPLICABLE = "not_applicable", "Not applicable (no Scopus Author ID)"
    UNKNOWN = "unknown", "Could not be checked"


class Progress(models.TextChoices):
    """Where a researcher stands overall: the Library's chart counts these."""

    NOT_STARTED = "not_started", "Not started"
    PART1 = "part1", "Part 1 done"
    PART2 = "part2", "Both parts done"
    NOT_APPLICABLE = "not_applicable", "Part 1 done, Part 2 not applicable"
    PROBLEM = "problem", "Problem"


class Problem(models.TextChoices):
    """Why a researcher is stuck in a way the Library should look at."""

    NONE = "", "None"
    TOKEN_REVOKED = "token_revoked", "ORCID access revoked or lost"
    SCOPUS_ID_SHARED = "scopus_id_shared", "Scopus Author ID on two people"
    SCOPUS_SHOWS_OTHER_ORCID = (
        "scopus_other_orcid",
        "Scopus profile carries another researcher's ORCID iD",
    )
    SCOPUS_PROFILE_GONE = "scopus_profile_gone", "Scopus profile not found, merged or split"


class MessageKind(models.TextChoices):
    INVITATION = "invitation", "Invitation"
    REMINDER = "reminder", "Reminder"


class SuggestionState(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Added to the profile"
    DISMISSED = "dismissed", "Not me"
