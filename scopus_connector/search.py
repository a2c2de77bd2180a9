"""The automated Scopus search (design §8): documents under researchers' verified Scopus Author IDs
that the portal does not hold for them become candidates to claim or reject.

Batched: one Scopus Search `AU-ID(a) OR AU-ID(b) …` per 25 researchers, cursor-paged, COMPLETE
view (it lists every author's Author ID, which says whose candidate a document is). Incremental:
each Author ID's documents are asked for only when loaded into Scopus since its last search
(`ORIG-LOAD-DATE AFT …`; in full every 30 days), and a document already a candidate for that
researcher, claimed or rejected, is never raised again. Matched against the portal by EID, then
DOI, then title and year: a document the researcher already authors in the portal is skipped;
one the portal holds without them becomes a candidate pointing at that output, so claiming adds
them as its author.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from anyascii import anyascii
from django.utils import timezone

from portal.audit import Actor
from portal.choices import (
    IdentifierStatus,
    OutputIdentifierType,
    PersonIdentifierType,
    PersonStatus,
)
from portal.models import Contributor, OutputIdentifier, Person, PersonIdentifier, ResearchOutput
from scopus_connector.actions import do_add_candidate, do_mark_authors_searched
from scopus_connector.client import ScopusError, ScopusSession
from scopus_connector.models import Candidate, SearchMark
from scopus_connector.records import SearchDocument

BATCH = 25


@dataclass
class SearchSummary:
    researchers: int = 0
    documents: int = 0
    new_candidates: int = 0
    already_in_portal: int = 0
    stopped: str = ""


def _normal_title(title: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", anyascii(title).lower()).split())


def _matching_output(document: SearchDocument, year: int) -> ResearchOutput | None:
    eid = document.eid
    doi = document.doi.lower()
    for id_type, value in ((OutputIdentifierType.EID, eid), (OutputIdentifierType.DOI, doi)):
        if value:
            found = OutputIdentifier.objects.filter(id_type=id_type, value=value).first()
            if found is not None:
                return found.output
    # Title and year, only for an output whose own DOI and EID do not say it is another paper:
    # the database narrows to same-year outputs starting with the same word, Python compares
    # the titles without case and punctuation.
    title = document.title
    wanted = _normal_title(title)
    if not wanted:
        return None
    same_start = (
        ResearchOutput.objects.filter(publication_year=year, title__istartswith=title.split()[0])
        .prefetch_related("identifiers")
        .order_by("pk")
    )
    for output in same_start.iterator(chunk_size=200):
        if _normal_title(output.title) != wanted:
            continue
        held = {(i.id_type, i.value) for i in output.identifiers.all()}
        conflicting = any(
            id_type == kind and value != theirs
            for kind, theirs in ((OutputIdentifierType.EID, eid), (OutputIdentifierType.DOI, doi))
            if theirs
            for id_type, value in held
        )
        if not conflicting:
            return output
    return None


def consider(
    person: Person, document: SearchDocument, summary: SearchSummary, *, acting_user: Actor
) -> None:
    """Make a candidate of one search entry for one researcher, unless it is known already."""
    cover = document.cover_date
    if not document.eid or cover is None:
        return
    if Candidate.objects.filter(person=person, eid=document.eid[:40]).exists():
        return
    matched = _matching_output(document, cover.year)
    if matched is not None and Contributor.objects.filter(output=matched, person=person).exists():
        summary.already_in_portal += 1
        return
    if do_add_candidate(person, document, matched, acting_user=acting_user) is not None:
        summary.new_candidates += 1


# Documents Scopus newly attaches to a profile (a merge, a correction) keep their old load
# date: a full search now and then finds those too.
FULL_SEARCH_EVERY = timedelta(days=30)


def _batches(
    author_ids: list[str], marks: dict[str, SearchMark], today: date
) -> list[tuple[list[str], date | None]]:
    """Batches of Author IDs with the load date to search after (None: search in full),
    the longest unsearched first, so a run stopped by the quota is continued by the next."""
    full = [
        a
        for a in author_ids
        if a not in marks or today - marks[a].full_search_on >= FULL_SEARCH_EVERY
    ]
    since = [a for a in author_ids if a not in full]
    full.sort(key=lambda a: (marks[a].full_search_on if a in marks else date.min, a))
    since.sort(key=lambda a: (marks[a].searched_on, a))
    batches: list[tuple[list[str], date | None]] = [
        (full[i : i + BATCH], None) for i in range(0, len(full), BATCH)
    ]
    for i in range(0, len(since), BATCH):
        batch = since[i : i + BATCH]
        # A day's overlap: a document loaded on the day of the last search is asked for again.
        batches.append((batch, min(marks[a].searched_on for a in batch) - timedelta(days=1)))
    return batches


def search(
    persons: Iterable[Person] | None = None,
    *,
    session: ScopusSession | None = None,
    acting_user: Actor = None,
) -> SearchSummary:
    """The one search routine (daily job, command): every current researcher's verified IDs,
    asking Scopus only for documents loaded since each ID was last searched. One Scopus session
    serves the whole run (its connection is kept across every batch and cursor page)."""
    identifiers = PersonIdentifier.objects.filter(
        id_type=PersonIdentifierType.SCOPUS_AUTHOR_ID,
        status=IdentifierStatus.VERIFIED,
        person__status=PersonStatus.CURRENT,
    ).select_related("person")
    if persons is not None:
        identifiers = identifiers.filter(person__in=list(persons))
    owners = {identifier.value: identifier.person for identifier in identifiers}
    summary = SearchSummary(researchers=len({p.pk for p in owners.values()}))
    today = timezone.localdate()
    marks = {mark.author_id: mark for mark in SearchMark.objects.filter(author_id__in=owners)}
    scopus = session or ScopusSession.from_settings()
    try:
        for batch, loaded_after in _batches(sorted(owners), marks, today):
            query = " OR ".join(f"AU-ID({author_id})" for author_id in batch)
            if loaded_after is not None:
                query = f"({query}) AND ORIG-LOAD-DATE AFT {loaded_after:%Y%m%d}"
            wanted = set(batch)
            try:
                for document in scopus.search_documents(query):
                    summary.documents += 1
                    # No transaction around the page: each candidate is its own action.
                    for author_id in sorted(document.author_ids & wanted):
                        consider(owners[author_id], document, summary, acting_user=acting_user)
            except ScopusError as error:
                # Usually the weekly quota (or a refused key): what is done is kept, the next
                # run starts here.
                summary.stopped = str(error)
                break
            do_mark_authors_searched(
                batch, searched_on=today, full=loaded_after is None, acting_user=acting_user
            )
    finally:
        if session is None:
            scopus.close()
    return summary
