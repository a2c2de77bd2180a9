"""The duplicate check run on every save and every import: is this output already held?

Matched, strongest first: the same DOI, Scopus EID or PubMed ID; the same ISBN for a book (the
chapters of one book share its ISBN, so only whole books match on it); then the same normalised
title and year with the same first author's surname. Withdrawn and merged outputs, and pairs a
person said are "Not a duplicate", are left out. Each query uses an index (output identifiers by
type and value, outputs by title key and year), so the check costs the same at a million outputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from portal.choices import OutputIdentifierType, OutputType, WorkflowStatus
from portal.models import Contributor, OutputIdentifier, ResearchOutput
from portal.models.outputs import title_key_of

IDENTIFIER_TYPES = (
    OutputIdentifierType.DOI,
    OutputIdentifierType.EID,
    OutputIdentifierType.PMID,
    OutputIdentifierType.ISBN,
)
BOOK_TYPES = (OutputType.BOOK, OutputType.EDITED_BOOK)
MAX_MATCHES = 5


@dataclass(frozen=True)
class Candidate:
    """What the check compares: an output being entered or imported, not yet saved."""

    title: str
    year: int | None
    first_author: str = ""
    output_type: str = ""
    identifiers: Sequence[tuple[str, str]] = ()


@dataclass(frozen=True)
class DuplicateMatch:
    """A held output that may be the same publication, and why the check thinks so."""

    output: ResearchOutput
    reason: str
    # True when an identifier matched: then "Not a duplicate" is not offered.
    by_identifier: bool


def candidate_of(output: ResearchOutput) -> Candidate:
    """The check's view of a saved output (for the Library's duplicate list)."""
    first = output.contributors.order_by("position").first()
    return Candidate(
        title=output.title,
        year=output.publication_year,
        first_author=first.family_name if first else "",
        output_type=output.output_type,
        identifiers=list(output.identifiers.values_list("id_type", "value")),
    )


def _with_details() -> Prefetch[str, QuerySet[Contributor]]:
    return Prefetch(
        "contributors", queryset=Contributor.objects.select_related("person").order_by("position")
    )


def find_duplicates(
    candidate: Candidate, *, exclude: ResearchOutput | None = None, ignore: Iterable[int] = ()
) -> list[DuplicateMatch]:
    """Held outputs that may be the candidate, strongest match first (at most MAX_MATCHES)."""
    skip = set(ignore)
    if exclude is not None and exclude.pk:
        skip.add(exclude.pk)
        skip.update(exclude.not_duplicates.values_list("pk", flat=True))
    matches: dict[int, DuplicateMatch] = {}
    live = ResearchOutput.objects.exclude(workflow_status=WorkflowStatus.WITHDRAWN)

    wanted = Q()
    for id_type, value in candidate.identifiers:
        if id_type not in IDENTIFIER_TYPES:
            continue
        if id_type == OutputIdentifierType.ISBN and candidate.output_type not in BOOK_TYPES:
            continue
        wanted |= Q(id_type=id_type, value=value)
    if wanted:
        rows = (
            OutputIdentifier.objects.filter(wanted)
            .exclude(output_id__in=skip)
            .exclude(output__workflow_status=WorkflowStatus.WITHDRAWN)
            .values_list("output_id", "id_type", "value")[: MAX_MATCHES * 4]
        )
        reasons: dict[int, str] = {}
        for output_id, id_type, value in rows:
            if id_type == OutputIdentifierType.ISBN:
                held_type = live.filter(pk=output_id).values_list("output_type", flat=True).first()
                if held_type not in BOOK_TYPES:
                    continue
            label = OutputIdentifierType(id_type).label
            reasons.setdefault(output_id, f"Same {label} {value}")
        held = live.filter(pk__in=list(reasons)).prefetch_related(_with_details(), "identifiers")
        for output in held:
            matches[output.pk] = DuplicateMatch(output, reasons[output.pk], by_identifier=True)

    key = title_key_of(candidate.title)
    if key and candidate.year is not None and len(matches) < MAX_MATCHES:
        same_title = (
            live.filter(title_key=key, publication_year=candidate.year)
            .exclude(pk__in=skip | set(matches))
            .prefetch_related(_with_details(), "identifiers")
            .order_by("pk")[:MAX_MATCHES]
        )
        surname = candidate.first_author.strip().casefold()
        for output in same_title:
            authors = list(output.contributors.all())
            if surname and (not authors or authors[0].family_name.casefold() != surname):
                continue
            if _conflicting_identifiers(candidate, output):
                continue
            matches[output.pk] = DuplicateMatch(
                output, "Same title, year and first author", by_identifier=False
            )
    return list(matches.values())[:MAX_MATCHES]


def _conflicting_identifiers(candidate: Candidate, output: ResearchOutput) -> bool:
    """Two different DOIs (or EIDs) mean two publications, however alike the titles."""
    held = {(row.id_type, row.value) for row in output.identifiers.all()}
    for id_type in (OutputIdentifierType.DOI, OutputIdentifierType.EID):
        mine = {value for kind, value in candidate.identifiers if kind == id_type}
        theirs = {value for kind, value in held if kind == id_type}
        if mine and theirs and not mine & theirs:
            return True
    return False
