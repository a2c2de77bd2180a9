"""What Scopus last said about a Scopus Author ID on a profile."""

from __future__ import annotations

from django.db import models

from portal.models import PersonIdentifier
from scopus_connector.choices import CandidateState, Verdict

__all__ = ["Candidate", "CandidateState", "ScopusCheck", "SearchMark", "Verdict"]


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


class Candidate(models.Model):
    """A document Scopus lists under a researcher's Author ID that the portal does not hold for
    them yet: the researcher claims it (it then enters the workflow) or says it is not theirs."""

    person = models.ForeignKey(
        "portal.Person", on_delete=models.CASCADE, related_name="scopus_candidates"
    )
    eid = models.CharField(max_length=40)
    doi = models.CharField(max_length=255, blank=True)
    title = models.CharField(max_length=1000)
    source_title = models.CharField(max_length=500, blank=True)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(null=True, blank=True)
    doc_type = models.CharField(max_length=10, blank=True)
    volume = models.CharField(max_length=50, blank=True)
    issue = models.CharField(max_length=50, blank=True)
    pages = models.CharField(max_length=50, blank=True)
    # [{"authid", "surname", "given_name"}] in Scopus's order.
    authors = models.JSONField(default=list)
    # The portal output that is this document without this researcher on it, if any.
    matched_output = models.ForeignKey(
        "portal.ResearchOutput", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        max_length=10, choices=CandidateState.choices, default=CandidateState.NEW
    )
    found_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    output = models.ForeignKey(
        "portal.ResearchOutput", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["person", "eid"], name="one_candidate_per_person_eid")
        ]

    def __str__(self) -> str:
        return f"{self.eid} for {self.person}"


class SearchMark(models.Model):
    """When the automated search last went through a Scopus Author ID's documents in full or
    since a date: the next search asks Scopus only for documents loaded after it."""

    author_id = models.CharField(max_length=20, unique=True)
    searched_on = models.DateField()
    full_search_on = models.DateField()

    def __str__(self) -> str:
        return f"{self.author_id} searched {self.searched_on}"
