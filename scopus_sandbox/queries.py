"""Reads of the Scopus sandbox: profiles with forwarding, profile facts, search terms as ORM."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from identifiers import IdentifierError, Scheme, normalise
from scopus_sandbox.choices import FeedbackStatusChoices, ProfileStatusChoices
from scopus_sandbox.models import (
    Affiliation,
    AuthorProfile,
    Authorship,
    Document,
    FeedbackRequest,
    ProfileAlias,
)
from scopus_sandbox.query import Term

DOCUMENT_FIELDS = frozenset(
    {
        "AU-ID",
        "ORCID",
        "DOI",
        "EID",
        "TITLE",
        "PUBYEAR",
        "ORIG-LOAD-DATE",
        "AF-ID",
        "AFFIL",
        "AUTHLASTNAME",
        "AUTH",
        "SRCTITLE",
        "TITLE-ABS-KEY",
        "KEY",
        "ISSN",
        "SUBJAREA",
    }
)
AUTHOR_FIELDS = frozenset(
    {"AUTHLASTNAME", "AUTHFIRST", "AUTH", "AU-ID", "AF-ID", "AFFIL", "ORCID", "SUBJAREA", "EID"}
)


class UnknownValueError(ValueError):
    """A term whose value cannot mean anything (a malformed id), answered as a 400."""


@dataclass(frozen=True)
class Resolution:
    """What an Author ID answers with: the profile itself, its survivor, or split aliases."""

    profile: AuthorProfile | None
    aliases: tuple[str, ...] = ()


def resolve_profile(author_id: str) -> Resolution | None:
    """The profile an Author ID stands for, following merges; None when it is unknown."""
    return resolve_profiles([author_id]).get(author_id)


# Merges chain rarely (a survivor merged again); the walk stops here even on a corrupt cycle.
MAX_MERGE_HOPS = 10


def resolve_profiles(author_ids: Iterable[str]) -> dict[str, Resolution]:
    """What each known Author ID stands for, in a number of queries that does not grow with the
    number of ids (one per merge hop, one for split aliases); unknown ids are left out."""
    requested = list(dict.fromkeys(author_ids))
    current = {p.author_id: p for p in AuthorProfile.objects.filter(author_id__in=requested)}
    seen = {author_id: {profile.pk} for author_id, profile in current.items()}
    for _hop in range(MAX_MERGE_HOPS):
        hops = {
            author_id: profile.merged_into_id
            for author_id, profile in current.items()
            if profile.status == ProfileStatusChoices.MERGED
            and profile.merged_into_id
            and profile.merged_into_id not in seen[author_id]
        }
        if not hops:
            break
        survivors = AuthorProfile.objects.in_bulk(set(hops.values()))
        for author_id, pk in hops.items():
            if pk in survivors:
                current[author_id] = survivors[pk]
                seen[author_id].add(pk)
    split = {p.pk for p in current.values() if p.status == ProfileStatusChoices.SPLIT}
    aliases: dict[int, list[str]] = defaultdict(list)
    for retired_id, new_id in (
        ProfileAlias.objects.filter(retired__in=split)
        .order_by("profile__author_id")
        .values_list("retired_id", "profile__author_id")
    ):
        aliases[retired_id].append(new_id)
    return {
        author_id: Resolution(None, tuple(aliases[profile.pk]))
        if profile.pk in split
        else Resolution(profile)
        for author_id, profile in current.items()
    }


def profile_documents(profile: AuthorProfile) -> QuerySet[Document]:
    """The documents of a profile, newest first."""
    return Document.objects.filter(authorships__profile=profile).order_by("-cover_date", "-id")


@dataclass(frozen=True)
class ProfileFacts:
    """Counts and affiliations a profile page and Author Retrieval show."""

    document_count: int
    cited_by_count: int
    citation_count: int
    h_index: int
    coauthor_count: int
    first_year: int | None
    last_year: int | None
    current_affiliation: Affiliation | None
    affiliation_history: list[Affiliation]
    subject_areas: list[tuple[str, int]]
    name_variants: list[tuple[str, str, int]]
    historical_ids: list[str]


def profile_facts(profile: AuthorProfile) -> ProfileFacts:
    """Everything derived from a profile's authorships, in a handful of queries."""
    return profiles_facts([profile])[profile.pk]


def profiles_facts(profiles: Sequence[AuthorProfile]) -> dict[int, ProfileFacts]:
    """ProfileFacts of several profiles by primary key, in six queries however many there are."""
    pks = [profile.pk for profile in profiles]
    authorships = Authorship.objects.filter(profile__in=pks)
    documents: dict[int, dict[int, tuple[int, datetime.date, list[str]]]] = defaultdict(dict)
    for profile_id, document_id, cited, cover_date, codes in authorships.values_list(
        "profile_id",
        "document_id",
        "document__cited_by",
        "document__cover_date",
        "document__subject_areas",
    ):
        documents[profile_id][document_id] = (cited, cover_date, codes or [])
    coauthors: dict[int, set[int]] = defaultdict(set)
    for profile_id, other in (
        authorships.values_list("profile_id", "document__authorships__profile_id")
        .order_by()
        .distinct()
    ):
        if other is not None and other != profile_id:
            coauthors[profile_id].add(other)
    through = Authorship.affiliations.through
    history: dict[int, list[int]] = defaultdict(list)
    for profile_id, affiliation_id in (
        through.objects.filter(authorship__profile__in=pks)
        .order_by("-authorship__document__cover_date", "-authorship__document_id")
        .values_list("authorship__profile_id", "affiliation_id")
    ):
        if affiliation_id not in history[profile_id]:
            history[profile_id].append(affiliation_id)
    affiliations = Affiliation.objects.in_bulk({pk for ids in history.values() for pk in ids})
    variants: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    for row in (
        authorships.values("profile_id", "given_name", "surname")
        .annotate(n=Count("id"))
        .order_by("profile_id", "-n", "surname", "given_name")
    ):
        variants[row["profile_id"]].append((row["given_name"], row["surname"], row["n"]))
    historical: dict[int, list[str]] = defaultdict(list)
    for survivor_id, old_id in (
        AuthorProfile.objects.filter(merged_into__in=pks)
        .order_by("id")
        .values_list("merged_into_id", "author_id")
    ):
        historical[survivor_id].append(old_id)
    facts = {}
    for pk in pks:
        own = documents[pk].values()
        citations = sorted((cited for cited, _date, _codes in own), reverse=True)
        dates = [cover_date for _cited, cover_date, _codes in own]
        areas: Counter[str] = Counter()
        for _cited, _date, codes in own:
            areas.update(codes)
        order = history[pk]
        facts[pk] = ProfileFacts(
            document_count=len(own),
            cited_by_count=sum(citations),
            citation_count=sum(citations),
            h_index=sum(1 for rank, cited in enumerate(citations, start=1) if cited >= rank),
            coauthor_count=len(coauthors[pk]),
            first_year=min(dates).year if dates else None,
            last_year=max(dates).year if dates else None,
            current_affiliation=affiliations[order[0]] if order else None,
            affiliation_history=[affiliations[a] for a in order],
            subject_areas=areas.most_common(),
            name_variants=variants[pk],
            historical_ids=historical[pk],
        )
    return facts


def pending_feedback(profile: AuthorProfile) -> QuerySet[FeedbackRequest]:
    """Corrections still waiting for the Author Feedback team."""
    return profile.feedback.filter(status=FeedbackStatusChoices.PENDING)


def _name_q(prefix: str, value: str) -> Q:
    """AUTH(Wong, Chris) / AUTH(Wong C) / AUTH(Wong): surname, optionally a first-name start."""
    if "," in value:
        surname, given = (part.strip() for part in value.split(",", 1))
    else:
        parts = value.split()
        surname, given = (parts[0], " ".join(parts[1:])) if parts else (value, "")
    q = Q(**{f"{prefix}surname__iexact": surname})
    if given:
        q &= Q(**{f"{prefix}given_name__istartswith": given.rstrip(".").split(".")[0]})
    return q


def _orcid(value: str) -> str:
    """An ORCID iD as profiles store it, whether typed bare, unhyphenated or as its URL; a value
    that is no ORCID iD is kept as typed (it then matches nothing)."""
    try:
        return normalise(Scheme.ORCID, value)
    except IdentifierError:
        return value.strip().upper()


def _year(term: Term) -> Q:
    year = int(term.value)
    # The calendar starts at year 1 (Python's dates, and Django's year lookups built on them).
    if year < 1:
        raise UnknownValueError(f"PUBYEAR {term.value} is not a year: years start at 0001")
    lookup = {"=": "cover_date__year", ">": "cover_date__year__gt", "<": "cover_date__year__lt"}
    return Q(**{lookup[term.op]: year})


def _load_date(term: Term) -> Q:
    """When Scopus first loaded the document: the sandbox's indexing date."""
    try:
        day = datetime.date(int(term.value[:4]), int(term.value[4:6]), int(term.value[6:]))
    except ValueError:
        raise UnknownValueError(f"ORIG-LOAD-DATE {term.value} is not a date") from None
    lookup = {"=": "indexed_at__date", ">": "indexed_at__date__gt", "<": "indexed_at__date__lt"}
    return Q(**{lookup[term.op]: day})


def document_term(term: Term) -> Q:
    """One Scopus Search term as a filter on Document (related terms as subqueries, no joins)."""
    value = term.value
    field = term.field

    def via_authorships(q: Q) -> Q:
        return Q(pk__in=Authorship.objects.filter(q).values("document_id"))

    if field == "AU-ID":
        resolution = resolve_profile(value.strip())
        ids = [value.strip()]
        if resolution and resolution.profile:
            ids.append(resolution.profile.author_id)
        return via_authorships(Q(profile__author_id__in=ids))
    if field == "ORCID":
        orcid = _orcid(value)
        return via_authorships(Q(orcid=orcid) | Q(profile__orcid=orcid))
    if field == "DOI":
        return Q(doi=value.strip().lower())
    if field == "EID":
        eid = value.strip().lower()
        if not eid.startswith("2-s2.0-"):
            raise UnknownValueError(f"EID {value!r} is not of the form 2-s2.0-<digits>")
        return Q(scopus_id=eid.removeprefix("2-s2.0-"))
    if field == "TITLE":
        return Q(title__icontains=value)
    if field in {"TITLE-ABS-KEY", "KEY"}:
        return Q(title__icontains=value) | Q(abstract__icontains=value)
    if field == "SRCTITLE":
        return Q(source_title__icontains=value)
    if field == "ISSN":
        return Q(issn__iexact=value.strip())
    if field == "PUBYEAR":
        return _year(term)
    if field == "ORIG-LOAD-DATE":
        return _load_date(term)
    if field == "AF-ID":
        return via_authorships(Q(affiliations__afid=value.strip()))
    if field == "AFFIL":
        return via_authorships(Q(affiliations__name__icontains=value))
    if field == "AUTHLASTNAME":
        return via_authorships(Q(surname__iexact=value))
    if field == "AUTH":
        return via_authorships(_name_q("", value))
    return Q(subject_areas__icontains=f'"{value.strip()}"')


def author_term(term: Term) -> Q:
    """One Author Search term as a filter on AuthorProfile."""
    value = term.value
    field = term.field

    def via_authorships(q: Q) -> Q:
        return Q(pk__in=Authorship.objects.filter(q).values("profile_id"))

    if field == "AUTHLASTNAME":
        return Q(surname__iexact=value) | via_authorships(Q(surname__iexact=value))
    if field == "AUTHFIRST":
        start = value.rstrip(".").split(".")[0].strip()
        return Q(given_name__istartswith=start) | via_authorships(Q(given_name__istartswith=start))
    if field == "AUTH":
        return _name_q("", value) | via_authorships(_name_q("", value))
    if field == "AU-ID":
        return Q(author_id=value.strip())
    if field == "ORCID":
        return Q(orcid=_orcid(value))
    if field == "AF-ID":
        return via_authorships(Q(affiliations__afid=value.strip()))
    if field == "AFFIL":
        return via_authorships(Q(affiliations__name__icontains=value))
    if field == "EID":
        eid = value.strip().lower()
        if not eid.startswith("9-s2.0-"):
            raise UnknownValueError(f"EID {value!r} is not of the form 9-s2.0-<digits>")
        return Q(author_id=eid.removeprefix("9-s2.0-"))
    return via_authorships(Q(document__subject_areas__icontains=f'"{value.strip()}"'))
