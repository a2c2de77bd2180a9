"""Vocabularies of the Scopus connector: what Scopus says of an Author ID, verdicts, candidates."""

from __future__ import annotations

from django.db import models


class AuthorStatus(models.TextChoices):
    """What an Author Retrieval answered for the id asked about."""

    FOUND = "found", "Found"
    # The id lives on as another profile's (Scopus forwards it, `dc:identifier` differs).
    MERGED = "merged", "Merged into another profile"
    # The old profile became several (the answer is an `alias` list of their ids).
    SPLIT = "split", "Split into other profiles"
    NOT_FOUND = "not_found", "Not found"


class Verdict(models.TextChoices):
    """The connector's advice on whether a Scopus Author ID is the researcher's."""

    CONSISTENT = "consistent", "Consistent with the researcher"
    INCONSISTENT = "inconsistent", "Doubtful: see the reasons"
    MERGED = "merged", "Merged into another profile"
    SPLIT = "split", "Split into other profiles"
    NOT_FOUND = "not_found", "Not found in Scopus"
    UNAVAILABLE = "unavailable", "Scopus could not be asked"


class CandidateState(models.TextChoices):
    """Where a document found in Scopus stands with its researcher."""

    NEW = "new", "Waiting for the researcher"
    CLAIMED = "claimed", "Claimed"
    REJECTED = "rejected", "Not theirs"


class CandidateDecision(models.TextChoices):
    """The researcher's answer on the "Publications found in Scopus" page."""

    CLAIM = "claim", "This is mine"
    REJECT = "reject", "Not mine"
