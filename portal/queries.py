"""Reusable reads for the portal's pages; each page's query count stays constant (no N+1)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects

import identifiers
from portal.choices import IdentifierStatus, PersonIdentifierType, Visibility, WorkflowStatus
from portal.models import (
    AuditEntry,
    Contributor,
    OrgUnit,
    OutputIdentifier,
    Person,
    PersonIdentifier,
    Position,
    ResearchOutput,
)

# Identifier schemes a researcher search box understands, most specific first.
SEARCHABLE_PERSON_SCHEMES = [identifiers.Scheme(value) for value in PersonIdentifierType.values]


def public_outputs() -> QuerySet[ResearchOutput]:
    """Outputs the public portal shows: validated and visible to everyone."""
    return ResearchOutput.objects.filter(
        workflow_status=WorkflowStatus.VALIDATED, visibility=Visibility.PUBLIC
    )


def with_listing_details(outputs: QuerySet[ResearchOutput]) -> QuerySet[ResearchOutput]:
    """Outputs with what a list entry shows: contributors in order and identifiers."""
    return outputs.prefetch_related(
        Prefetch(
            "contributors",
            queryset=Contributor.objects.select_related("person").order_by("position"),
        ),
        Prefetch("identifiers", queryset=OutputIdentifier.objects.order_by("id_type")),
    )


def _profile_details() -> list[Prefetch[str, QuerySet[Any]] | str]:
    return [
        Prefetch(
            "positions",
            queryset=Position.objects.select_related("org_unit").order_by(
                "-is_primary", "-start_date", "id"
            ),
        ),
        "links",
        Prefetch("identifiers", queryset=PersonIdentifier.objects.order_by("id_type", "id")),
        "name_variants",
    ]


def profile_persons() -> QuerySet[Person]:
    """Persons with everything a profile header shows."""
    return Person.objects.prefetch_related(*_profile_details())


def load_profile_details(person: Person) -> Person:
    """Fetch what a profile shows for a person looked up without it (once: a person already
    holding them is left alone)."""
    prefetch_related_objects([person], *_profile_details())
    return person


def public_identifiers(person: Person) -> list[PersonIdentifier]:
    """The identifiers a public profile shows: all but those the Library rejected as not theirs.

    Filtered in Python over the prefetched rows, so the profile costs no extra query.
    """
    return [item for item in person.identifiers.all() if item.status != IdentifierStatus.REJECTED]


def outputs_of_person(person: Person) -> QuerySet[ResearchOutput]:
    """A person's public outputs, newest first."""
    authored = Contributor.objects.filter(person=person).values("output_id")
    return with_listing_details(public_outputs().filter(pk__in=authored))


def unit_and_descendant_ids(unit: OrgUnit) -> list[int]:
    """A unit's id and those of every unit below it (units are few: one query, walked here)."""
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in OrgUnit.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(unit_id)
    found, frontier = [unit.pk], [unit.pk]
    while frontier:
        frontier = [child for parent in frontier for child in children.get(parent, [])]
        found.extend(frontier)
    return found


def persons_in_units(unit_ids: list[int]) -> QuerySet[Person]:
    """Persons with a position in any of the units, by name; a subquery, so no DISTINCT."""
    in_units = Position.objects.filter(org_unit_id__in=unit_ids).values("person_id")
    return profile_persons().filter(pk__in=in_units).order_by("family_name", "given_names", "id")


def authored_in_units(unit_ids: list[int]) -> QuerySet[Contributor, Any]:
    """Ids of outputs with an author holding a position in any of the units (for a subquery)."""
    return Contributor.objects.filter(person__positions__org_unit_id__in=unit_ids).values(
        "output_id"
    )


def outputs_of_units(unit_ids: list[int]) -> QuerySet[ResearchOutput]:
    """Public outputs with an author who holds a position in any of the units, newest first."""
    return with_listing_details(public_outputs().filter(pk__in=authored_in_units(unit_ids)))


def persons_matching_identifier(text: str) -> Q | None:
    """A filter for persons holding the identifier typed, or None if it is not one."""
    conditions = Q()
    for scheme in identifiers.detect(text):
        if scheme in SEARCHABLE_PERSON_SCHEMES:
            try:
                value = identifiers.normalise(scheme, text)
            except identifiers.IdentifierError:
                # detect() only names schemes the text fits; should one still refuse it, the
                # search falls back to names rather than failing the page.
                continue
            conditions |= Q(id_type=scheme.value, value=value)
    if not conditions:
        return None
    # A rejected identifier is the Library saying "not this person": it must not find them.
    held = PersonIdentifier.objects.filter(conditions).exclude(status=IdentifierStatus.REJECTED)
    return Q(pk__in=held.values("person_id"))


def search_persons(text: str = "", unit: OrgUnit | None = None) -> QuerySet[Person]:
    """Researchers by name (any of their names) or identifier, optionally within a unit.

    Filters are subqueries, not joins, so no DISTINCT is needed and PostgreSQL can use the
    trigram index on search_text for the name words.
    """
    persons = profile_persons()
    text = text.strip()
    if text:
        by_identifier = persons_matching_identifier(text)
        if by_identifier is not None:
            persons = persons.filter(by_identifier)
        else:
            for word in text.lower().split()[:10]:
                persons = persons.filter(search_text__contains=word)
    if unit is not None:
        in_unit = Position.objects.filter(org_unit_id__in=unit_and_descendant_ids(unit))
        persons = persons.filter(pk__in=in_unit.values("person_id"))
    return persons.order_by("status", "family_name", "given_names", "id")


def search_outputs(
    text: str = "", year: int | None = None, output_type: str = "", unit: OrgUnit | None = None
) -> QuerySet[ResearchOutput]:
    """Public outputs by title words, year, type and unit (with its sub-units), newest first."""
    outputs = public_outputs()
    for word in text.split()[:10]:
        outputs = outputs.filter(title__icontains=word)
    if year is not None:
        outputs = outputs.filter(publication_year=year)
    if output_type:
        outputs = outputs.filter(output_type=output_type)
    if unit is not None:
        outputs = outputs.filter(pk__in=authored_in_units(unit_and_descendant_ids(unit)))
    return with_listing_details(outputs)


def unit_tree() -> list[tuple[OrgUnit, int]]:
    """Every unit with its depth, in hierarchy order, for the Research Units page."""
    units = list(OrgUnit.objects.order_by("name"))
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[OrgUnit, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in children.get(parent_id, []):
            ordered.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered


def audit_history(person: Person) -> QuerySet[AuditEntry]:
    """A profile's change history, newest first."""
    return AuditEntry.objects.filter(person=person).order_by("-created_at", "-id")[:200]


def person_of(user: User | AnonymousUser) -> Person | None:
    """The researcher profile of a logged-in account, if it has one."""
    if not isinstance(user, User):
        return None
    return Person.objects.filter(user=user).first()
