"""Checking where a researcher stands, against the portal, the ORCID record and Scopus.

Part 1 is the portal's own knowledge. Part 2 asks ORCID (the record's Other IDs, with the
researcher's token) and Scopus (Author Retrieval of the Scopus Author ID); when either cannot
answer, the state is "could not be checked" rather than a guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from exercise.models import ExerciseStatus, Part2State
from orcid_connector.actions import active_authorization
from orcid_connector.reading import OrcidReadError, other_ids
from portal.choices import IdentifierStatus, PersonIdentifierType, PersonStatus
from portal.models import Person
from scopus_connector.choices import AuthorStatus
from scopus_connector.client import ScopusError, ScopusSession

SCOPUS_ID_TYPE = "Scopus Author ID"


@dataclass
class RefreshSummary:
    persons: int = 0
    part1_complete: int = 0
    part2_complete: int = 0
    not_checked: int = 0


def _identifier(person: Person, id_type: str) -> str:
    """The profile's identifier of a type that the Library has not rejected (verified first)."""
    found = sorted(
        (item for item in person.identifiers.all() if item.id_type == id_type),
        key=lambda item: item.status != IdentifierStatus.VERIFIED,
    )
    usable = [item for item in found if item.status != IdentifierStatus.REJECTED]
    return usable[0].value if usable else ""


def assess(person: Person, *, scopus: ScopusSession | None = None) -> ExerciseStatus:
    """Check one researcher now and store the result (with `scopus`, or a session of its own)."""
    authorization = active_authorization(person)
    orcid = authorization.orcid if authorization else ""
    part1 = any(
        item.id_type == PersonIdentifierType.ORCID
        and item.status == IdentifierStatus.AUTHENTICATED
        and item.value == orcid
        for item in person.identifiers.all()
    )
    scopus_id = _identifier(person, PersonIdentifierType.SCOPUS_AUTHOR_ID)
    orcid_lists: bool | None = None
    scopus_shows: bool | None = None
    steps: list[str] = []
    if not part1:
        steps.append('Part 1: "Edit profile" → "Create or Connect your ORCID iD", then "Save".')
    if not scopus_id:
        state = Part2State.NOT_APPLICABLE
        steps.append('Part 2: if you have a Scopus Author ID, add it: "Edit profile" → "Add ID".')
    elif authorization is None:
        state = Part2State.INCOMPLETE
        steps.append("Part 2 can be checked once your ORCID iD is connected (Part 1).")
    else:
        try:
            # The portal's own export writes the ID too; only another source (Scopus's wizard,
            # or the researcher on ORCID) shows that Part 2 was done.
            orcid_lists = any(
                item.id_type == SCOPUS_ID_TYPE
                and item.value == scopus_id
                and item.source_client_id != settings.ORCID_CLIENT_ID
                for item in other_ids(authorization)
            )
        except OrcidReadError as error:
            steps.append(f"ORCID could not be checked: {error}.")
        try:
            if scopus is not None:
                author = scopus.get_author(scopus_id)
            else:
                with ScopusSession.from_settings() as session:
                    author = session.get_author(scopus_id)
        except ScopusError as error:
            steps.append(f"Scopus could not be checked: {error}")
        else:
            if author.status == AuthorStatus.NOT_FOUND:
                steps.append(f"Scopus has no author profile {scopus_id}; check the ID.")
                scopus_shows = False
            elif author.status == AuthorStatus.SPLIT:
                steps.append(
                    f"Scopus split profile {scopus_id} into {', '.join(author.candidates)}; "
                    "update your Scopus Author ID."
                )
                scopus_shows = False
            else:
                scopus_shows = author.orcid == orcid
                if author.status == AuthorStatus.MERGED:
                    steps.append(
                        f"Scopus merged profile {scopus_id} into {author.author_id}; "
                        "update your Scopus Author ID."
                    )
        if orcid_lists is None or scopus_shows is None:
            state = Part2State.UNKNOWN
        elif orcid_lists and scopus_shows:
            state = Part2State.COMPLETE
        else:
            state = Part2State.INCOMPLETE
            if not orcid_lists or not scopus_shows:
                steps.append(
                    'Part 2: on your Scopus author profile click "Connect to ORCID" and '
                    '"Send Author ID"; Scopus shows your ORCID iD 24–48 hours later.'
                )
    status, _ = ExerciseStatus.objects.update_or_create(
        person=person,
        defaults={
            "part1_complete": part1,
            "part2_state": state,
            "orcid": orcid,
            "scopus_author_id": scopus_id,
            "orcid_lists_scopus_id": orcid_lists,
            "scopus_shows_orcid": scopus_shows,
            "next_step": " ".join(steps)[:500],
            "checked_at": timezone.now(),
        },
    )
    return status


# A researcher found complete is re-checked weekly, not nightly: each check of Part 2 costs an
# ORCID read and a Scopus Author Retrieval, and Scopus's weekly quotas are small.
COMPLETE_RECHECK = timedelta(days=7)


def refresh(persons: Iterable[Person] | None = None) -> RefreshSummary:
    """The one refresh routine (the nightly job, the Library's button, the command): check
    every current researcher, except those found complete in the last week."""
    queryset = Person.objects.prefetch_related("identifiers").order_by("pk")
    if persons is None:
        recently_complete = ExerciseStatus.objects.filter(
            part1_complete=True,
            part2_state__in=[Part2State.COMPLETE, Part2State.NOT_APPLICABLE],
            checked_at__gte=timezone.now() - COMPLETE_RECHECK,
        ).values("person_id")
        queryset = queryset.filter(status=PersonStatus.CURRENT).exclude(pk__in=recently_complete)
    else:
        queryset = queryset.filter(pk__in=[person.pk for person in persons])
    summary = RefreshSummary()
    for person in queryset.iterator(chunk_size=500):
        # No transaction around the check: it waits on ORCID and Scopus; the write is one row.
        status = assess(person)
        summary.persons += 1
        summary.part1_complete += status.part1_complete
        summary.part2_complete += status.part2_state == Part2State.COMPLETE
        summary.not_checked += status.part2_state == Part2State.UNKNOWN
    return summary
