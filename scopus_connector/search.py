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
from typing import Any

from anyascii import anyascii
from django.db import transaction
from django.utils import timezone

from portal.actions import (
    ContributorEntry,
    do_add_author,
    do_create_output,
    do_submit_output_for_validation,
)
from portal.choices import (
    IdentifierStatus,
    OutputIdentifierType,
    OutputSource,
    OutputType,
    PersonIdentifierType,
    PersonStatus,
)
from portal.models import Contributor, OutputIdentifier, Person, PersonIdentifier, ResearchOutput
from scopus_connector import client
from scopus_connector.models import Candidate, CandidateState, SearchMark

BATCH = 25
OUTPUT_TYPES = {
    "ar": OutputType.JOURNAL_ARTICLE,
    "cp": OutputType.CONFERENCE_PAPER,
    "re": OutputType.REVIEW,
    "ch": OutputType.BOOK_CHAPTER,
    "bk": OutputType.BOOK,
}


@dataclass
class SearchSummary:
    researchers: int = 0
    documents: int = 0
    new_candidates: int = 0
    already_in_portal: int = 0
    stopped: str = ""


def _normal_title(title: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", anyascii(title).lower()).split())


def _matching_output(entry: dict[str, Any], year: int) -> ResearchOutput | None:
    eid = str(entry.get("eid", ""))
    doi = str(entry.get("prism:doi") or "").lower()
    for id_type, value in ((OutputIdentifierType.EID, eid), (OutputIdentifierType.DOI, doi)):
        if value:
            found = OutputIdentifier.objects.filter(id_type=id_type, value=value).first()
            if found is not None:
                return found.output
    # Title and year, only for an output whose own DOI and EID do not say it is another paper:
    # the database narrows to same-year outputs starting with the same word, Python compares
    # the titles without case and punctuation.
    title = str(entry.get("dc:title", ""))
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


def _cover_date(entry: dict[str, Any]) -> date | None:
    try:
        return date.fromisoformat(str(entry.get("prism:coverDate", "")))
    except ValueError:
        return None


def consider(person: Person, entry: dict[str, Any], summary: SearchSummary) -> None:
    """Make a candidate of one search entry for one researcher, unless it is known already."""
    eid = str(entry.get("eid", ""))[:40]
    cover = _cover_date(entry)
    if not eid or cover is None or Candidate.objects.filter(person=person, eid=eid).exists():
        return
    matched = _matching_output(entry, cover.year)
    if matched is not None and Contributor.objects.filter(output=matched, person=person).exists():
        summary.already_in_portal += 1
        return
    authors = [
        {
            "authid": str(author.get("authid", "")),
            "surname": str(author.get("surname", ""))[:150],
            "given_name": str(author.get("given-name", ""))[:150],
        }
        for author in entry.get("author", [])
        if isinstance(author, dict)
    ]
    Candidate.objects.create(
        person=person,
        eid=eid,
        doi=str(entry.get("prism:doi") or "")[:255],
        title=str(entry.get("dc:title", ""))[:1000],
        source_title=str(entry.get("prism:publicationName") or "")[:500],
        year=cover.year,
        month=cover.month,
        doc_type=str(entry.get("subtype") or "")[:10],
        volume=str(entry.get("prism:volume") or "")[:50],
        issue=str(entry.get("prism:issueIdentifier") or "")[:50],
        pages=str(entry.get("prism:pageRange") or "")[:50],
        authors=authors,
        matched_output=matched,
    )
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


def search(persons: Iterable[Person] | None = None) -> SearchSummary:
    """The one search routine (daily job, command): every current researcher's verified IDs,
    asking Scopus only for documents loaded since each ID was last searched."""
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
    for batch, loaded_after in _batches(sorted(owners), marks, today):
        query = " OR ".join(f"AU-ID({author_id})" for author_id in batch)
        if loaded_after is not None:
            query = f"({query}) AND ORIG-LOAD-DATE AFT {loaded_after:%Y%m%d}"
        wanted = set(batch)
        try:
            for entry in client.search_documents(query):
                summary.documents += 1
                listed = {
                    str(a.get("authid", "")) for a in entry.get("author", []) if isinstance(a, dict)
                }
                for author_id in sorted(listed & wanted):
                    with transaction.atomic():
                        consider(owners[author_id], entry, summary)
        except client.ScopusUnavailable as error:
            # Usually the weekly quota: what is done is kept, the next run starts here.
            summary.stopped = str(error)
            break
        for author_id in batch:
            defaults = {"searched_on": today}
            if loaded_after is None:
                defaults["full_search_on"] = today
            SearchMark.objects.update_or_create(
                author_id=author_id,
                defaults=defaults,
                create_defaults={"searched_on": today, "full_search_on": today},
            )
    return summary


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


@transaction.atomic
def claim(candidate: Candidate, *, acting_user: Any) -> ResearchOutput:
    """ "This is mine": a new output for the Library to validate, or the researcher added as an
    author of the output the portal already holds."""
    locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if locked.state != CandidateState.NEW:
        raise ValueError("This candidate has been decided already.")
    if locked.matched_output is not None:
        output = locked.matched_output
        do_add_author(output, locked.person, acting_user=acting_user)
    else:
        identifiers = [(OutputIdentifierType.EID, locked.eid)]
        if locked.doi:
            identifiers.append((OutputIdentifierType.DOI, locked.doi))
        output = do_create_output(
            {
                "output_type": OUTPUT_TYPES.get(locked.doc_type, OutputType.OTHER),
                "title": locked.title,
                "publication_year": locked.year,
                "publication_month": locked.month,
                "host_title": locked.source_title,
                "volume": locked.volume,
                "issue": locked.issue,
                "pages": locked.pages,
            },
            _contributors(locked),
            identifiers,
            acting_user=acting_user,
            source=OutputSource.SCOPUS,
        )
        do_submit_output_for_validation(output, acting_user=acting_user)
    locked.state = CandidateState.CLAIMED
    locked.output = output
    locked.decided_at = timezone.now()
    locked.save(update_fields=["state", "output", "decided_at"])
    return output


def reject(candidate: Candidate) -> None:
    """ "Not mine": never raised again for this researcher."""
    Candidate.objects.filter(pk=candidate.pk, state=CandidateState.NEW).update(
        state=CandidateState.REJECTED, decided_at=timezone.now()
    )
