"""Reads of the Scopus sandbox: profiles with forwarding, profile facts, search terms as ORM."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q, QuerySet, Sum

from scopus_sandbox.choices import FeedbackStatusChoices, ProfileStatusChoices
from scopus_sandbox.models import (
    Affiliation,
    AuthorProfile,
    Authorship,
    Document,
    FeedbackRequest,
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
    profile = AuthorProfile.objects.filter(author_id=author_id).first()
    if profile is None:
        return None
    seen = {profile.pk}
    while profile.status == ProfileStatusChoices.MERGED and profile.merged_into_id:
        profile = AuthorProfile.objects.get(pk=profile.merged_into_id)
        if profile.pk in seen:
            break
        seen.add(profile.pk)
    if profile.status == ProfileStatusChoices.SPLIT:
        aliases = tuple(
            profile.aliases.order_by("profile__author_id").values_list(
                "profile__author_id", flat=True
            )
        )
        return Resolution(None, aliases)
    return Resolution(profile)


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


def profile_facts(profile: AuthorProfile) -> ProfileFacts:
    """Everything derived from a profile's authorships, in a handful of queries."""
    documents = Document.objects.filter(authorships__profile=profile)
    summary = documents.aggregate(
        n=Count("id"), cited=Sum("cited_by"), first=Min("cover_date"), last=Max("cover_date")
    )
    citations = sorted(documents.values_list("cited_by", flat=True), reverse=True)
    h_index = sum(1 for rank, cited in enumerate(citations, start=1) if cited >= rank)
    coauthors = (
        Authorship.objects.filter(document__authorships__profile=profile)
        .exclude(profile=profile)
        .exclude(profile__isnull=True)
        .values("profile")
        .distinct()
        .count()
    )
    through = Authorship.affiliations.through
    rows = list(
        through.objects.filter(authorship__profile=profile)
        .order_by("-authorship__document__cover_date", "-authorship__document_id")
        .values_list("affiliation_id", flat=True)
    )
    order = list(dict.fromkeys(rows))
    affiliations = Affiliation.objects.in_bulk(order)
    areas: Counter[str] = Counter()
    for codes in documents.values_list("subject_areas", flat=True):
        areas.update(codes or [])
    variants = (
        profile.authorships.values("given_name", "surname")
        .annotate(n=Count("id"))
        .order_by("-n", "surname", "given_name")
    )
    first: datetime.date | None = summary["first"]
    last: datetime.date | None = summary["last"]
    return ProfileFacts(
        document_count=summary["n"],
        cited_by_count=summary["cited"] or 0,
        citation_count=summary["cited"] or 0,
        h_index=h_index,
        coauthor_count=coauthors,
        first_year=first.year if first else None,
        last_year=last.year if last else None,
        current_affiliation=affiliations[order[0]] if order else None,
        affiliation_history=[affiliations[pk] for pk in order],
        subject_areas=areas.most_common(),
        name_variants=[(row["given_name"], row["surname"], row["n"]) for row in variants],
    )


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


def _year(term: Term) -> Q:
    year = int(term.value)
    lookup = {"=": "cover_date__year", ">": "cover_date__year__gt", "<": "cover_date__year__lt"}
    return Q(**{lookup[term.op]: year})


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
        orcid = value.strip().upper()
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
        return Q(orcid=value.strip().upper())
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
