"""Indexing documents: bulk inserts, then every new authorship gets a profile by disambiguation.

Incremental: a batch is assigned against the existing profiles of its name blocks only
(`block_key`), so indexing never rebuilds the profiles that are already there, and `assign`
never splits or merges them: they only gain authorships.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max

from scopus_sandbox.database import scopus_atomic
from scopus_sandbox.disambiguation import Signature, assign, block_key
from scopus_sandbox.models import Affiliation, AuthorProfile, Authorship, Document
from scopus_sandbox.records import DocumentRecord

# New documents and profiles are numbered as Scopus numbers today's: 11 digits from these.
SCOPUS_ID_BASE = 85_000_000_000
AUTHOR_ID_BASE = 57_000_000_000


@dataclass
class IndexReport:
    """What one indexing run did."""

    documents: int = 0
    authorships: int = 0
    duplicates: int = 0
    new_profiles: int = 0
    joined_profiles: int = 0
    errors: list[str] = field(default_factory=list)


def split_given(given: str) -> tuple[str, str]:
    """First name and middle names from a printed given name ("Tai Ming" → "Tai", "Ming")."""
    parts = given.replace(".", ". ").split()
    if not parts:
        return "", ""
    return parts[0], " ".join(parts[1:])


def next_numbers(model: type[Document] | type[AuthorProfile], field_name: str, base: int) -> int:
    """The next free number of an 11-digit series (documents' Scopus IDs, profiles' Author IDs)."""
    prefix = str(base)[:2]
    top = model.objects.filter(**{f"{field_name}__startswith": prefix}).aggregate(
        top=Max(field_name)
    )["top"]
    if top and len(top) == 11:
        return int(top) + 1
    return base


# SQLite refuses statements with more than 32,766 parameters: long IN lists go in chunks.
IN_CHUNK = 10_000


def _chunks(values: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


def _signatures(rows: Iterable[Mapping[str, Any]]) -> dict[int, Signature]:
    """Signatures for authorship rows (values() dicts carrying document data), keyed by pk."""
    rows = list(rows)
    documents = {row["document_id"] for row in rows}
    coauthors: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for chunk in _chunks(sorted(documents)):
        for document_id, position, given, surname in Authorship.objects.filter(
            document_id__in=chunk
        ).values_list("document_id", "position", "given_name", "surname"):
            coauthors[document_id].append((position, f"{surname}, {given}".rstrip(", ")))
    affiliations: dict[int, list[str]] = defaultdict(list)
    through = Authorship.affiliations.through
    for chunk in _chunks([row["id"] for row in rows]):
        for authorship_id, afid in through.objects.filter(authorship_id__in=chunk).values_list(
            "authorship_id", "affiliation__afid"
        ):
            affiliations[authorship_id].append(afid)
    signatures = {}
    for row in rows:
        first, middle = split_given(row["given_name"])
        signatures[row["id"]] = Signature(
            signature_id=str(row["id"]),
            paper_id=str(row["document_id"]),
            position=row["position"],
            first=first,
            middle=middle,
            last=row["surname"],
            affiliations=tuple(affiliations[row["id"]]),
            coauthors=tuple(
                name
                for position, name in coauthors[row["document_id"]]
                if position != row["position"]
            ),
            venue=row["document__source_title"],
            year=row["document__cover_date"].year,
            subject_areas=tuple(row["document__subject_areas"] or ()),
            email=row["email"],
            orcid=row["orcid"],
        )
    return signatures


ROW_FIELDS = (
    "id",
    "document_id",
    "position",
    "given_name",
    "surname",
    "email",
    "orcid",
    "profile_id",
    "document__source_title",
    "document__cover_date",
    "document__subject_areas",
)


def _best_name(authorships: Sequence[Authorship]) -> tuple[str, str]:
    """The fullest printed name among a profile's authorships (full given names beat initials)."""
    best = max(authorships, key=lambda a: (len(a.given_name.replace(".", "")), a.given_name))
    return best.given_name, best.surname


def assign_profiles(pending: Mapping[str, tuple[Signature, Authorship]]) -> tuple[int, int]:
    """Set the profile of each new (not yet saved) authorship; returns (new, joined) counts.

    `pending` maps a temporary signature id to its signature and authorship; the existing
    profiles of the same name blocks are read from the database as the engine's context.
    """
    if not pending:
        return 0, 0
    blocks = {block_key(signature) for signature, _ in pending.values()}
    existing_rows = list(
        Authorship.objects.filter(
            block__in=blocks, profile__isnull=False, profile__status="active"
        ).values(*ROW_FIELDS)
    )
    existing_signatures = _signatures(existing_rows)
    existing: dict[str, list[Signature]] = defaultdict(list)
    for row in existing_rows:
        existing[str(row["profile_id"])].append(existing_signatures[row["id"]])
    profile_orcids = {
        str(pk): orcid
        for pk, orcid in AuthorProfile.objects.filter(block__in=blocks, status="active")
        .exclude(orcid="")
        .values_list("id", "orcid")
    }
    # A quoted ORCID that a profile carries but whose block differs (a changed name) still links.
    quoted = {authorship.orcid for _, authorship in pending.values() if authorship.orcid}
    for pk, orcid in (
        AuthorProfile.objects.filter(orcid__in=quoted, status="active")
        .exclude(id__in=[int(key) for key in profile_orcids])
        .values_list("id", "orcid")
    ):
        profile_orcids[str(pk)] = orcid
        existing.setdefault(str(pk), [])
    result = assign(
        [signature for signature, _ in pending.values()], existing, profile_orcids=profile_orcids
    )
    for signature_id, profile_id in result.to_existing.items():
        pending[signature_id][1].profile_id = int(profile_id)
    next_id = next_numbers(AuthorProfile, "author_id", AUTHOR_ID_BASE)
    profiles: list[AuthorProfile] = []
    for offset, group in enumerate(result.new_profiles):
        members = [pending[signature_id][1] for signature_id in group]
        given, surname = _best_name(members)
        quoted_orcids = {member.orcid for member in members if member.orcid}
        profiles.append(
            AuthorProfile(
                author_id=str(next_id + offset),
                given_name=given,
                surname=surname,
                orcid=quoted_orcids.pop() if len(quoted_orcids) == 1 else "",
                block=members[0].block,
            )
        )
    created = AuthorProfile.objects.bulk_create(profiles, batch_size=2_000)
    if any(profile.pk is None for profile in created):
        pks = dict(
            AuthorProfile.objects.filter(author_id__in=[p.author_id for p in created]).values_list(
                "author_id", "id"
            )
        )
        for profile in created:
            profile.pk = pks[profile.author_id]
    for profile, group in zip(created, result.new_profiles, strict=True):
        for signature_id in group:
            pending[signature_id][1].profile_id = profile.pk
    return len(created), len(result.to_existing)


def index_records(records: Sequence[DocumentRecord]) -> IndexReport:
    """Store a batch of records (skipping EIDs and DOIs already indexed) and assign authors."""
    report = IndexReport()
    with scopus_atomic():
        scopus_ids = {record.scopus_id for record in records if record.scopus_id}
        dois = {record.doi for record in records if record.doi}
        seen_ids = set(
            Document.objects.filter(scopus_id__in=scopus_ids).values_list("scopus_id", flat=True)
        )
        seen_dois = set(Document.objects.filter(doi__in=dois).values_list("doi", flat=True))
        fresh: list[DocumentRecord] = []
        for record in records:
            if (record.scopus_id and record.scopus_id in seen_ids) or (
                record.doi and record.doi in seen_dois
            ):
                report.duplicates += 1
                continue
            seen_ids.add(record.scopus_id)
            if record.doi:
                seen_dois.add(record.doi)
            fresh.append(record)
        if not fresh:
            return report
        affiliations = {a.afid: a for record in fresh for a in record.affiliations}
        Affiliation.objects.bulk_create(
            [
                Affiliation(afid=a.afid, name=a.name, city=a.city, country=a.country)
                for a in affiliations.values()
            ],
            ignore_conflicts=True,
            batch_size=2_000,
        )
        affiliation_pks = dict(
            Affiliation.objects.filter(afid__in=affiliations).values_list("afid", "id")
        )
        next_id = next_numbers(Document, "scopus_id", SCOPUS_ID_BASE)
        documents = []
        for record in fresh:
            scopus_id = record.scopus_id
            if not scopus_id:
                scopus_id, next_id = str(next_id), next_id + 1
            documents.append(
                Document(
                    scopus_id=scopus_id,
                    doi=record.doi,
                    title=record.title,
                    source_title=record.source_title,
                    issn=record.issn,
                    volume=record.volume,
                    issue=record.issue,
                    pages=record.pages,
                    cover_date=record.cover_date,
                    doc_type=record.doc_type,
                    subject_areas=list(record.subject_areas),
                    abstract=record.abstract,
                    keywords=list(record.keywords),
                    cited_by=record.cited_by,
                )
            )
        Document.objects.bulk_create(documents, batch_size=2_000)
        if any(document.pk is None for document in documents):
            # Backends that do not return keys from bulk inserts: read them back.
            pks = dict(
                Document.objects.filter(scopus_id__in=[d.scopus_id for d in documents]).values_list(
                    "scopus_id", "id"
                )
            )
            for document in documents:
                document.pk = pks[document.scopus_id]
        authorships: list[Authorship] = []
        links: list[tuple[int, list[str]]] = []
        trusted: dict[int, str] = {}
        pending: dict[str, tuple[Signature, Authorship]] = {}
        for document, record in zip(documents, fresh, strict=True):
            # As the engine reads them: co-authors "Surname, Given", affiliations by AF-ID.
            printed = [f"{a.surname}, {a.given_name}".rstrip(", ") for a in record.authors]
            for position, author in enumerate(record.authors, start=1):
                first, middle = split_given(author.given_name)
                signature = Signature(
                    signature_id=f"n{len(authorships)}",
                    paper_id=str(document.pk),
                    position=position,
                    first=first,
                    middle=middle,
                    last=author.surname,
                    affiliations=author.affiliations,
                    coauthors=tuple(n for i, n in enumerate(printed, start=1) if i != position),
                    venue=record.source_title,
                    year=record.cover_date.year,
                    subject_areas=record.subject_areas,
                    email=author.email,
                    orcid=author.orcid,
                )
                authorship = Authorship(
                    document_id=document.pk,
                    position=position,
                    given_name=author.given_name,
                    surname=author.surname,
                    email=author.email,
                    orcid=author.orcid,
                    block=block_key(signature),
                )
                if author.author_id:
                    trusted[len(authorships)] = author.author_id
                else:
                    pending[signature.signature_id] = (signature, authorship)
                authorships.append(authorship)
                links.append((len(authorships) - 1, list(author.affiliations)))
        _assign_trusted([(authorships[index], author_id) for index, author_id in trusted.items()])
        report.new_profiles, report.joined_profiles = assign_profiles(pending)
        Authorship.objects.bulk_create(authorships, batch_size=2_000)
        if any(a.pk is None for a in authorships):
            authorship_pks = {
                (row[0], row[1]): row[2]
                for row in Authorship.objects.filter(
                    document_id__in=[d.pk for d in documents]
                ).values_list("document_id", "position", "id")
            }
            for authorship in authorships:
                authorship.pk = authorship_pks[(authorship.document_id, authorship.position)]
        through = Authorship.affiliations.through
        through.objects.bulk_create(
            [
                through(authorship_id=authorships[index].pk, affiliation_id=affiliation_pks[afid])
                for index, afids in links
                for afid in dict.fromkeys(afids)
            ],
            batch_size=5_000,
        )
        report.documents = len(documents)
        report.authorships = len(authorships)
    return report


def _assign_trusted(pairs: Sequence[tuple[Authorship, str]]) -> None:
    """Authorships whose Author ID the seeding names: create or reuse those profiles."""
    if not pairs:
        return
    wanted = {author_id for _, author_id in pairs}
    profiles = {p.author_id: p for p in AuthorProfile.objects.filter(author_id__in=wanted)}
    for authorship, author_id in pairs:
        if author_id not in profiles:
            profiles[author_id] = AuthorProfile.objects.create(
                author_id=author_id,
                given_name=authorship.given_name,
                surname=authorship.surname,
                block=authorship.block,
            )
        authorship.profile_id = profiles[author_id].pk
