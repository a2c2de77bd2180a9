"""The seed's step (1), "Check whether you have any Scopus Author ID", answered for the
researcher from what the portal already holds.

The researcher's validated outputs with a Scopus EID or a DOI are looked up in Scopus with
batched `EID(…) OR EID(…)` and `DOI(…) OR …` searches (never one call per output). On each
document found, the researcher's authorship is the Scopus author at their position in the
portal's author list when the names agree, else the one author whose name agrees; the Scopus
Author IDs of those authorships are counted. One profile holding the researcher's documents is
suggested ("Is this you?"); several are a split profile, shown side by side for the Scopus
wizard's "Select profiles" step; none means nothing to do for Part 2.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from anyascii import anyascii
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from portal.choices import (
    IdentifierStatus,
    OutputIdentifierType,
    PersonIdentifierType,
    PersonStatus,
    WorkflowStatus,
)
from portal.models import Contributor, OutputIdentifier, Person, PersonIdentifier
from scopus_connector.client import ScopusError, ScopusSession, ScopusUnavailableError
from scopus_connector.records import DocumentAuthor, SearchDocument
from scopus_connector.verify import names_agree

# Identifiers per Scopus Search query: short enough for any URL, few calls per researcher.
BATCH = 25
# The share of title words a held output and Scopus's document must have in common.
TITLE_AGREEMENT = 0.6
# DOIs with brackets, quotes or spaces would break Scopus's query syntax; those few are skipped
# (their outputs usually carry an EID too).
_DOI_SAFE = re.compile(r'^[^\s()"{}]+$')


@dataclass(frozen=True)
class HeldOutput:
    """A validated output of the researcher, as the discovery needs it."""

    output_id: int
    title: str
    position: int
    author_count: int
    eid: str = ""
    doi: str = ""


@dataclass
class Discovery:
    """What Scopus says about the researcher's validated outputs."""

    looked_up: int = 0
    found: int = 0
    # Found by identifier, but with another title: a wrong EID or DOI, not evidence.
    mismatched: int = 0
    authorships: Counter[str] = field(default_factory=Counter)

    @property
    def profiles(self) -> list[tuple[str, int]]:
        """Scopus Author IDs holding the researcher's authorships, most first. Every profile
        counts, however few it holds: an authorship is counted only on name, position and title
        evidence, so a profile holding one is a split-off part of the researcher's, which the
        Scopus wizard's "Select profiles" step merges."""
        return self.authorships.most_common()


def held_outputs(person: Person) -> list[HeldOutput]:
    """The researcher's validated outputs that carry an EID or a DOI (two queries)."""
    contributions = list(
        Contributor.objects.filter(
            person=person, output__workflow_status=WorkflowStatus.VALIDATED
        ).values_list("output_id", "position", "output__title")
    )
    output_ids = [output_id for output_id, _, _ in contributions]
    ids: dict[int, dict[str, str]] = {}
    for output_id, id_type, value in OutputIdentifier.objects.filter(
        output_id__in=output_ids, id_type__in=[OutputIdentifierType.EID, OutputIdentifierType.DOI]
    ).values_list("output_id", "id_type", "value"):
        ids.setdefault(output_id, {})[id_type] = value
    counts = Counter(
        Contributor.objects.filter(output_id__in=list(ids)).values_list("output_id", flat=True)
    )
    return [
        HeldOutput(
            output_id=output_id,
            title=title,
            position=position,
            author_count=counts[output_id],
            eid=ids[output_id].get(OutputIdentifierType.EID, ""),
            doi=ids[output_id].get(OutputIdentifierType.DOI, ""),
        )
        for output_id, position, title in contributions
        if output_id in ids
    ]


def _queries(outputs: list[HeldOutput]) -> Iterator[str]:
    """Batched Scopus Search queries: by EID where held, by DOI for the rest."""
    eids = [output.eid for output in outputs if output.eid]
    dois = [
        output.doi
        for output in outputs
        if not output.eid and output.doi and _DOI_SAFE.match(output.doi)
    ]
    for field_name, values in (("EID", eids), ("DOI", dois)):
        for start in range(0, len(values), BATCH):
            batch = values[start : start + BATCH]
            yield " OR ".join(f'{field_name}("{value}")' for value in batch)


def _words(title: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", anyascii(title).lower()))


def same_work(held_title: str, scopus_title: str) -> bool:
    """Whether Scopus's document is the output the portal holds, by its title: a mistyped EID
    or DOI on a portal record must not make a stranger's paper evidence (most title words in
    common; Scopus may add or drop a subtitle)."""
    held, found = _words(held_title), _words(scopus_title)
    if not held or not found:
        return False
    return len(held & found) >= TITLE_AGREEMENT * min(len(held), len(found))


def researchers_authorship(
    person: Person, held: HeldOutput, document: SearchDocument
) -> DocumentAuthor | None:
    """The researcher among the document's Scopus authors, or None without name evidence.

    Position first (the portal's author order is the paper's), names always: a document with
    two authors of the researcher's name and no position to tell them apart gives no answer.
    """
    authors = list(document.authors)
    if len(authors) == held.author_count:
        at_position = next((a for a in authors if a.position == held.position), None)
        if at_position and names_agree(person, at_position.given_name, at_position.surname):
            return at_position
    agreeing = [a for a in authors if names_agree(person, a.given_name, a.surname)]
    return agreeing[0] if len(agreeing) == 1 else None


def discover(person: Person, *, scopus: ScopusSession) -> Discovery:
    """Look up the researcher's validated outputs in Scopus and count their Author IDs."""
    outputs = held_outputs(person)
    by_eid = {output.eid.lower(): output for output in outputs if output.eid}
    by_doi = {output.doi.lower(): output for output in outputs if output.doi}
    result = Discovery(looked_up=len(outputs))
    seen: set[int] = set()
    for query in _queries(outputs):
        for document in scopus.search_documents(query):
            held = by_eid.get(document.eid.lower()) or by_doi.get((document.doi or "").lower())
            if held is None or held.output_id in seen:
                continue
            if not same_work(held.title, document.title):
                result.mismatched += 1
                continue
            seen.add(held.output_id)
            result.found += 1
            authorship = researchers_authorship(person, held, document)
            if authorship is not None and authorship.author_id:
                result.authorships[authorship.author_id] += 1
    return result


@dataclass
class DiscoverySummary:
    researchers: int = 0
    with_one_profile: int = 0
    with_split_profile: int = 0
    with_none: int = 0
    not_checked: int = 0

    def __str__(self) -> str:
        text = (
            f"{self.researchers} researcher(s): {self.with_one_profile} with one Scopus "
            f"profile found, {self.with_split_profile} with a split profile, "
            f"{self.with_none} with none"
        )
        return text + (f", {self.not_checked} not checked (Scopus)" if self.not_checked else "")


# Each researcher is looked for again after this long; the first look comes first.
REDISCOVER_AFTER = timedelta(days=7)
# Researchers per run, so a daily run stays well inside Scopus's weekly quota.
PER_RUN = 2000


def due_for_discovery(now: datetime) -> QuerySet[Person]:
    """Current researchers without a Scopus Author ID on their profile, not looked for lately."""
    has_scopus_id = PersonIdentifier.objects.filter(
        person=OuterRef("pk"), id_type=PersonIdentifierType.SCOPUS_AUTHOR_ID
    ).exclude(status=IdentifierStatus.REJECTED)
    return (
        Person.objects.filter(status=PersonStatus.CURRENT)
        .exclude(Exists(has_scopus_id))
        .filter(
            Q(exercise__isnull=True)
            | Q(exercise__discovered_at__isnull=True)
            | Q(exercise__discovered_at__lt=now - REDISCOVER_AFTER)
        )
        .prefetch_related("name_variants")
        .order_by(F("exercise__discovered_at").asc(nulls_first=True), "pk")
    )


def discover_due(
    now: datetime | None = None, *, scopus: ScopusSession | None = None
) -> DiscoverySummary:
    """The daily discovery (the job): look for the Scopus Author IDs of researchers who have
    none on their profile. No transaction around Scopus calls: each result is written alone."""
    from exercise.actions import do_record_discovery
    from exercise.status import update_part1

    now = now or timezone.now()
    summary = DiscoverySummary()
    with scopus or ScopusSession.from_settings() as session:
        for person in due_for_discovery(now)[:PER_RUN]:
            try:
                found = discover(person, scopus=session)
            except ScopusUnavailableError:
                summary.not_checked += 1
                break  # Scopus is down or the quota is spent: the next run continues
            except ScopusError:
                summary.not_checked += 1
                continue
            suggestions = do_record_discovery(person, found, acting_user=None)
            status = update_part1(person)
            status.discovered_at = now
            status.save(update_fields=["discovered_at"])
            summary.researchers += 1
            open_ones = len(suggestions)
            summary.with_one_profile += open_ones == 1
            summary.with_split_profile += open_ones > 1
            summary.with_none += open_ones == 0
    return summary
