"""Every write of the Scopus connector: verdicts, candidates, search marks.

Each action is atomic once, takes the actor as the keyword-only `acting_user` (None for jobs and
commands) and writes an audit row through `portal.audit.record_change`. No action calls Scopus:
the HTTP exchange happens before, outside any transaction (`verify`, `search`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from portal.actions import (
    ContributorEntry,
    do_add_author,
    do_create_output,
    do_submit_output_for_validation,
)
from portal.audit import Actor, audited_update, record_change, snapshot
from portal.choices import (
    AuditAction,
    OutputIdentifierType,
    OutputSource,
    OutputType,
    PersonIdentifierType,
)
from portal.errors import PortalError
from portal.models import Person, PersonIdentifier, ResearchOutput
from scopus_connector.choices import CandidateState, Verdict
from scopus_connector.models import Candidate, ScopusCheck, SearchMark
from scopus_connector.records import SearchDocument

CHECK_FIELDS = ("verdict", "reasons", "current_id")
CANDIDATE_FIELDS = ("state", "output", "decided_at")
OUTPUT_TYPES = {
    "ar": OutputType.JOURNAL_ARTICLE,
    "cp": OutputType.CONFERENCE_PAPER,
    "re": OutputType.REVIEW,
    "ch": OutputType.BOOK_CHAPTER,
    "bk": OutputType.BOOK,
}
LATER_CHECK = "A later check could not ask Scopus"


class CandidateDecidedError(PortalError):
    """The candidate was claimed or rejected already."""


@dataclass(frozen=True)
class Assessment:
    """A verdict on a Scopus Author ID with its reasons, before it is stored."""

    verdict: Verdict
    reasons: tuple[str, ...] = ()
    current_id: str = ""


@transaction.atomic
def do_record_scopus_check(
    identifier: PersonIdentifier, assessment: Assessment, *, acting_user: Actor
) -> ScopusCheck:
    """Store what Scopus said about a Scopus Author ID on a profile (replacing the last check)."""
    earlier = ScopusCheck.objects.select_for_update().filter(identifier=identifier).first()
    before = snapshot(earlier, CHECK_FIELDS) if earlier else None
    check, _ = ScopusCheck.objects.update_or_create(
        identifier=identifier,
        defaults={
            "verdict": assessment.verdict,
            "reasons": list(assessment.reasons),
            "current_id": assessment.current_id,
            "checked_at": timezone.now(),
        },
    )
    record_change(
        actor=acting_user,
        action=AuditAction.UPDATE if earlier else AuditAction.CREATE,
        target=check,
        person=identifier.person,
        before=before,
        after=snapshot(check, CHECK_FIELDS),
    )
    return check


@transaction.atomic
def do_note_scopus_outage(check: ScopusCheck, problem: str, *, acting_user: Actor) -> ScopusCheck:
    """Keep a check's verdict when a later one could not ask Scopus, noting why among its reasons
    (an outage is not news about the Author ID)."""
    locked = ScopusCheck.objects.select_for_update(of=("self",)).select_related(
        "identifier__person"
    )
    check = locked.get(pk=check.pk)
    with audited_update(check, CHECK_FIELDS, actor=acting_user, person=check.identifier.person):
        check.reasons = [r for r in check.reasons if not r.startswith(LATER_CHECK)]
        check.reasons.append(f"{LATER_CHECK}: {problem}")
        check.save(update_fields=["reasons"])
    return check


@transaction.atomic
def do_add_candidate(
    person: Person,
    document: SearchDocument,
    matched_output: ResearchOutput | None,
    *,
    acting_user: Actor,
) -> Candidate | None:
    """A document Scopus lists under the researcher's Author ID becomes a candidate to claim;
    None when it is one for them already (claimed, rejected or waiting) or has no cover date."""
    if document.cover_date is None or not document.eid:
        return None
    candidate, created = Candidate.objects.get_or_create(
        person=person,
        eid=document.eid[:40],
        defaults={
            "doi": document.doi[:255],
            "title": document.title[:1000],
            "source_title": document.source_title[:500],
            "year": document.cover_date.year,
            "month": document.cover_date.month,
            "doc_type": document.doc_type[:10],
            "volume": document.volume[:50],
            "issue": document.issue[:50],
            "pages": document.pages[:50],
            "authors": [
                {
                    "authid": author.author_id,
                    "surname": author.surname[:150],
                    "given_name": author.given_name[:150],
                }
                for author in document.authors
            ],
            "matched_output": matched_output,
        },
    )
    if not created:
        return None
    record_change(
        actor=acting_user,
        action=AuditAction.CREATE,
        target=candidate,
        person=person,
        after={"eid": candidate.eid, "title": candidate.title[:200], "state": candidate.state},
    )
    return candidate


def _contributors(candidate: Candidate) -> list[ContributorEntry]:
    own_ids = set(
        candidate.person.identifiers.filter(
            id_type=PersonIdentifierType.SCOPUS_AUTHOR_ID
        ).values_list("value", flat=True)
    )
    entries = [
        ContributorEntry(
            family_name=author["surname"] or "?",
            given_names=author["given_name"],
            person=candidate.person if author["authid"] in own_ids else None,
        )
        for author in candidate.authors
    ]
    if not any(entry.person is not None for entry in entries):
        entries.append(ContributorEntry(family_name="", person=candidate.person))
    return entries


def _decided(candidate: Candidate) -> Candidate:
    # Only the candidate's row is locked (PostgreSQL refuses to lock across its outer joins).
    locked = Candidate.objects.select_for_update(of=("self",)).select_related(
        "person", "matched_output"
    )
    current = locked.get(pk=candidate.pk)
    if current.state != CandidateState.NEW:
        raise CandidateDecidedError("This candidate has been decided already.")
    return current


@transaction.atomic
def do_claim_candidate(candidate: Candidate, *, acting_user: Actor) -> ResearchOutput:
    """ "This is mine": a new output for the Library to validate, or the researcher added as an
    author of the output the portal already holds."""
    locked = _decided(candidate)
    with audited_update(locked, CANDIDATE_FIELDS, actor=acting_user, person=locked.person):
        output = _output_for(locked, acting_user)
        locked.state = CandidateState.CLAIMED
        locked.output = output
        locked.decided_at = timezone.now()
        locked.save(update_fields=list(CANDIDATE_FIELDS))
    return output


def _output_for(candidate: Candidate, acting_user: Actor) -> ResearchOutput:
    """The output a claimed candidate is: the one the portal holds, with the researcher added
    as an author, or a new one submitted for the Library to validate."""
    if candidate.matched_output is not None:
        do_add_author(candidate.matched_output, candidate.person, acting_user=acting_user)
        return candidate.matched_output
    identifiers = [(OutputIdentifierType.EID, candidate.eid)]
    if candidate.doi:
        identifiers.append((OutputIdentifierType.DOI, candidate.doi))
    output = do_create_output(
        {
            "output_type": OUTPUT_TYPES.get(candidate.doc_type, OutputType.OTHER),
            "title": candidate.title,
            "publication_year": candidate.year,
            "publication_month": candidate.month,
            "host_title": candidate.source_title,
            "volume": candidate.volume,
            "issue": candidate.issue,
            "pages": candidate.pages,
        },
        _contributors(candidate),
        identifiers,
        acting_user=acting_user,
        source=OutputSource.SCOPUS,
    )
    do_submit_output_for_validation(output, acting_user=acting_user)
    return output


@transaction.atomic
def do_reject_candidate(candidate: Candidate, *, acting_user: Actor) -> Candidate:
    """ "Not mine": the document is never suggested to this researcher again."""
    locked = _decided(candidate)
    with audited_update(locked, CANDIDATE_FIELDS, actor=acting_user, person=locked.person):
        locked.state = CandidateState.REJECTED
        locked.decided_at = timezone.now()
        locked.save(update_fields=["state", "decided_at"])
    return locked


@transaction.atomic
def do_mark_authors_searched(
    author_ids: Sequence[str], *, searched_on: date, full: bool, acting_user: Actor
) -> list[SearchMark]:
    """Remember that the search went through these Author IDs' documents (in full, or those
    loaded since their last search), so the next run asks Scopus only for newer ones."""
    marks = []
    for author_id in author_ids:
        defaults = {"searched_on": searched_on}
        if full:
            defaults["full_search_on"] = searched_on
        mark, _ = SearchMark.objects.update_or_create(
            author_id=author_id,
            defaults=defaults,
            create_defaults={"searched_on": searched_on, "full_search_on": searched_on},
        )
        marks.append(mark)
    if marks:
        # One row per batch: a daily search of every researcher would otherwise flood the log.
        record_change(
            actor=acting_user,
            action=AuditAction.UPDATE,
            target=marks[0],
            person=None,
            after={"author_ids": list(author_ids), "searched_on": str(searched_on), "full": full},
        )
    return marks
