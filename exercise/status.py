"""Checking where a researcher stands, against the portal, the ORCID record and Scopus.

Part 1 is the portal's own knowledge. Part 2 asks ORCID (the record's Other IDs, with the
researcher's token) and Scopus (Author Retrieval of the Scopus Author ID); when either cannot
answer, the state is "could not be checked" rather than a guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from exercise.choices import Problem, Progress
from exercise.models import DailyProgress, ExerciseStatus, Part2State
from orcid_connector.actions import active_authorization
from orcid_connector.models import OrcidAuthorization
from orcid_connector.reading import OrcidReadError, other_ids
from portal.choices import IdentifierStatus, PersonIdentifierType, PersonStatus
from portal.models import Person, PersonIdentifier
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


def _part1(person: Person, orcid: str) -> bool:
    """Part 1 is the portal's own knowledge: an authenticated iD with a live connection."""
    return bool(orcid) and any(
        item.id_type == PersonIdentifierType.ORCID
        and item.status == IdentifierStatus.AUTHENTICATED
        and item.value == orcid
        for item in person.identifiers.all()
    )


def _lost_connection(person: Person) -> str:
    """Why the researcher's last ORCID connection ended, when it ended without them asking
    (a refused token, a deactivated or merged record); "" otherwise."""
    latest = OrcidAuthorization.objects.filter(person=person).order_by("-pk").first()
    if latest is None or latest.revoked_at is None:
        return ""
    # The researcher's own "Disconnect" and a replaced grant are not problems.
    if not latest.was_lost:
        return ""
    return latest.revoked_reason or "ORCID no longer accepts the portal's access."


def _shared_scopus_id(person: Person, scopus_id: str) -> bool:
    return (
        PersonIdentifier.objects.filter(
            id_type=PersonIdentifierType.SCOPUS_AUTHOR_ID, value=scopus_id
        )
        .exclude(person=person)
        .exclude(status=IdentifierStatus.REJECTED)
        .exists()
    )


def update_part1(person: Person) -> ExerciseStatus:
    """Part 1 as the portal knows it this moment, without asking ORCID or Scopus: called the
    moment a connection is made, ended or lost. Part 2's last answer is kept."""
    authorization = active_authorization(person)
    orcid = authorization.orcid if authorization else ""
    part1 = _part1(person, orcid)
    lost = "" if authorization else _lost_connection(person)
    status = ExerciseStatus.objects.filter(person=person).first()
    if status is None:
        has_scopus_id = bool(_identifier(person, PersonIdentifierType.SCOPUS_AUTHOR_ID))
        status = ExerciseStatus(
            person=person,
            part2_state=Part2State.UNKNOWN if has_scopus_id else Part2State.NOT_APPLICABLE,
        )
    status.part1_complete = part1
    status.orcid = orcid
    if lost:
        status.problem, status.problem_detail = Problem.TOKEN_REVOKED, lost[:300]
    elif status.problem == Problem.TOKEN_REVOKED:
        status.problem, status.problem_detail = Problem.NONE, ""
    if not part1:
        status.next_step = (
            'Part 1: "Edit profile" → "Create or Connect your ORCID iD", then "Save".'
        )
    elif status.next_step.startswith("Part 1"):
        status.next_step = ""
    status.checked_at = timezone.now()
    status.save()
    return status


def assess(person: Person, *, scopus: ScopusSession | None = None) -> ExerciseStatus:
    """Check one researcher now and store the result (with `scopus`, or a session of its own)."""
    authorization = active_authorization(person)
    orcid = authorization.orcid if authorization else ""
    part1 = _part1(person, orcid)
    problem, problem_detail = Problem.NONE, ""
    if authorization is None and (lost := _lost_connection(person)):
        problem, problem_detail = Problem.TOKEN_REVOKED, lost
    scopus_id = _identifier(person, PersonIdentifierType.SCOPUS_AUTHOR_ID)
    if scopus_id and _shared_scopus_id(person, scopus_id):
        problem = Problem.SCOPUS_ID_SHARED
        problem_detail = f"Scopus Author ID {scopus_id} is also on another researcher's profile."
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
                problem = problem or Problem.SCOPUS_PROFILE_GONE
                problem_detail = problem_detail or f"Scopus has no author profile {scopus_id}."
            elif author.status == AuthorStatus.SPLIT:
                steps.append(
                    f"Scopus split profile {scopus_id} into {', '.join(author.candidates)}; "
                    "update your Scopus Author ID."
                )
                scopus_shows = False
                problem = problem or Problem.SCOPUS_PROFILE_GONE
                problem_detail = problem_detail or (
                    f"Scopus split {scopus_id} into {', '.join(author.candidates)}."
                )
            else:
                scopus_shows = author.orcid == orcid
                if author.orcid and orcid and author.orcid != orcid:
                    problem = problem or Problem.SCOPUS_SHOWS_OTHER_ORCID
                    problem_detail = problem_detail or (
                        f"Scopus profile {scopus_id} shows ORCID iD {author.orcid}, not {orcid}."
                    )
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
            "problem": problem,
            "problem_detail": problem_detail[:300],
            "checked_at": timezone.now(),
            "part2_checked_at": timezone.now() if scopus_id and authorization else None,
        },
    )
    return status


def record_daily_progress(day: date | None = None) -> dict[str, int]:
    """Count today's current researchers by progress and keep the counts for the line chart
    (rewritten as often as things change; the last write of a day stands)."""
    counts = progress_counts()
    day = day or timezone.localdate()
    for progress, count in counts.items():
        DailyProgress.objects.update_or_create(
            day=day, progress=progress, defaults={"count": count}
        )
    return counts


def progress_counts(unit_ids: Iterable[int] | None = None) -> dict[str, int]:
    """Current researchers by progress (never checked counts as not started)."""
    persons = Person.objects.filter(status=PersonStatus.CURRENT)
    if unit_ids is not None:
        persons = persons.filter(positions__org_unit_id__in=list(unit_ids)).distinct()
    counts = dict.fromkeys(Progress.values, 0)
    rows = (
        persons.values("exercise__part1_complete", "exercise__part2_state", "exercise__problem")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    for row in rows:
        state = ExerciseStatus(
            part1_complete=bool(row["exercise__part1_complete"]),
            part2_state=row["exercise__part2_state"] or Part2State.UNKNOWN,
            problem=row["exercise__problem"] or "",
        )
        counts[state.progress] += row["n"]
    return counts


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
    # One Scopus session for the whole run: its connection serves every researcher's check.
    with ScopusSession.from_settings() as scopus:
        for person in queryset.iterator(chunk_size=500):
            # No transaction around the check: it waits on ORCID and Scopus; the write is one row.
            status = assess(person, scopus=scopus)
            summary.persons += 1
            summary.part1_complete += status.part1_complete
            summary.part2_complete += status.part2_state == Part2State.COMPLETE
            summary.not_checked += status.part2_state == Part2State.UNKNOWN
    record_daily_progress()
    return summary
