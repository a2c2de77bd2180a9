"""Writes to persons: profile fields, identifiers and links."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

import identifiers
from portal.audit import Actor, acting_account, record_change, snapshot
from portal.choices import (
    AuditAction,
    IdentifierStatus,
    PersonIdentifierType,
)
from portal.errors import DuplicateIdentifierError, InvalidIdentifierError, NotAllowedError
from portal.identifier_claims import DISPLACED_BY, tell_library_of_displaced_claim
from portal.models import (
    Person,
    PersonIdentifier,
    PersonLink,
)
from portal.permissions import can_edit_person, can_verify_identifiers

# The profile fields a researcher may change on "Edit profile"; official names come from HR.

EDITABLE_PROFILE_FIELDS = ("known_as", "native_name", "phone", "address", "profile_text")
# Library staff may also correct what HR feeds.
LIBRARY_PROFILE_FIELDS = (*EDITABLE_PROFILE_FIELDS, "given_names", "family_name", "email")


def _require_edit(person: Person, acting_user: Actor) -> None:
    if acting_user is not None and not can_edit_person(acting_user, person):
        raise NotAllowedError("You can only edit your own profile.")


def search_text_for(person: Person) -> str:
    """The lower-cased names the researcher search matches against."""
    names = [person.given_names, person.family_name, person.known_as, person.native_name]
    if person.pk:
        names += [f"{v.given_names} {v.family_name}" for v in person.name_variants.all()]
    return " ".join(name for name in names if name).lower()


@transaction.atomic
def do_update_profile(
    person: Person, changes: Mapping[str, Any], *, acting_user: Actor
) -> list[str]:
    """Change profile fields; returns the names of the fields that really changed."""
    _require_edit(person, acting_user)
    allowed = (
        LIBRARY_PROFILE_FIELDS
        if acting_user is None or can_verify_identifiers(acting_user)
        else EDITABLE_PROFILE_FIELDS
    )
    refused = sorted(set(changes) - set(allowed))
    if refused:
        raise NotAllowedError(f"These fields cannot be changed here: {', '.join(refused)}.")
    changed = [name for name, value in changes.items() if getattr(person, name) != value]
    if not changed:
        return []
    before = snapshot(person, changed)
    for name in changed:
        setattr(person, name, changes[name])
    person.search_text = search_text_for(person)
    person.save(update_fields=[*changed, "search_text", "updated_at"])
    record_change(
        actor=acting_user,
        action=AuditAction.UPDATE,
        target=person,
        person=person,
        before=before,
        after=snapshot(person, changed),
    )
    return changed


def normalise_person_identifier(id_type: str, raw_value: str) -> str:
    """The canonical form of a person identifier, or InvalidIdentifierError with the reason."""
    if id_type not in PersonIdentifierType.values:
        raise InvalidIdentifierError(f"'{id_type}' is not an ID type the portal records.")
    try:
        return identifiers.normalise(identifiers.Scheme(id_type), raw_value)
    except identifiers.IdentifierError as error:
        raise InvalidIdentifierError(str(error)) from error


# Statuses that prove an identifier is the researcher's: an ORCID sign-in, or the Library's check.
PROVEN_STATUSES = frozenset({IdentifierStatus.AUTHENTICATED, IdentifierStatus.VERIFIED})


def check_identifier_free(
    person: Person, id_type: str, value: str, *, status: str = IdentifierStatus.ENTERED
) -> None:
    """Refuse an identifier already recorded on this profile, proven on another, or typed on
    another when this claim brings no proof either (a proven claim displaces a typed one)."""
    label = PersonIdentifierType(id_type).label
    existing = PersonIdentifier.objects.filter(id_type=id_type, value=value).first()
    if existing is not None:
        if existing.person_id == person.pk:
            raise DuplicateIdentifierError(f"This {label} is already on this profile.")
        if existing.status in PROVEN_STATUSES:
            proof = (
                "authenticated by ORCID sign-in"
                if existing.status == IdentifierStatus.AUTHENTICATED
                else "verified by the Library"
            )
            raise DuplicateIdentifierError(
                f"This {label} belongs to another researcher ({proof}); "
                "please contact the Library if it is yours."
            )
        if status not in PROVEN_STATUSES:
            raise DuplicateIdentifierError(
                f"This {label} is already on another researcher's profile; "
                "please contact the Library if it is yours."
            )
    if (
        id_type == PersonIdentifierType.ORCID
        and PersonIdentifier.objects.filter(person=person, id_type=id_type).exists()
    ):
        raise DuplicateIdentifierError("A profile holds one ORCID iD; remove the old one first.")


def _displace_typed_claims(
    person: Person, id_type: str, value: str, proof: str, acting_user: Actor
) -> None:
    """Proof beats typing: remove the unproven copies of this identifier on other profiles,
    each with an audit entry saying why, and tell the Library once the change is committed."""
    typed = (
        PersonIdentifier.objects.select_for_update()
        .filter(id_type=id_type, value=value)
        .exclude(person=person)
        .exclude(status__in=PROVEN_STATUSES)
        .select_related("person")
    )
    for claim in typed:
        record_change(
            actor=acting_user,
            action=AuditAction.DELETE,
            target=claim,
            person=claim.person,
            before=snapshot(claim, ["id_type", "value", "status"]),
            after={DISPLACED_BY: person.slug, "reason": proof},
        )
        loser = claim.person
        claim.delete()
        transaction.on_commit(
            partial(tell_library_of_displaced_claim, loser, person, id_type, value, proof)
        )


@transaction.atomic
def do_add_person_identifier(
    person: Person,
    id_type: str,
    raw_value: str,
    *,
    acting_user: Actor,
    status: IdentifierStatus = IdentifierStatus.ENTERED,
    evidence: str = "",
) -> PersonIdentifier:
    """Record an identifier on a profile after checking its format and that it is free."""
    _require_edit(person, acting_user)
    if status == IdentifierStatus.AUTHENTICATED and id_type != PersonIdentifierType.ORCID:
        raise NotAllowedError("Only an ORCID iD can be authenticated, by signing in to ORCID.")
    if status in (IdentifierStatus.VERIFIED, IdentifierStatus.REJECTED) and not (
        acting_user is None or can_verify_identifiers(acting_user)
    ):
        raise NotAllowedError("Only the Library can verify or reject identifiers.")
    value = normalise_person_identifier(id_type, raw_value)
    check_identifier_free(person, id_type, value, status=status)
    if status in PROVEN_STATUSES:
        proof = (
            "Signed in to ORCID"
            if status == IdentifierStatus.AUTHENTICATED
            else "Verified by the Library"
        )
        _displace_typed_claims(person, id_type, value, proof, acting_user)
    try:
        with transaction.atomic():
            identifier = PersonIdentifier.objects.create(
                person=person,
                id_type=id_type,
                value=value,
                status=status,
                evidence=evidence,
                status_changed_by=(
                    acting_account(acting_user) if status != IdentifierStatus.ENTERED else None
                ),
                status_changed_at=timezone.now() if status != IdentifierStatus.ENTERED else None,
            )
    except IntegrityError as error:
        # Two requests raced past check_identifier_free; the constraint settles it.
        raise DuplicateIdentifierError(
            f"This {PersonIdentifierType(id_type).label} was just recorded elsewhere."
        ) from error
    record_change(
        actor=acting_user,
        action=AuditAction.CREATE,
        target=identifier,
        person=person,
        after=snapshot(identifier, ["id_type", "value", "status"]),
    )
    return identifier


@transaction.atomic
def do_record_authenticated_orcid(
    person: Person, raw_orcid: str, *, acting_user: Actor
) -> PersonIdentifier:
    """The iD ORCID returned after the researcher signed in and authorised the portal.

    It replaces whatever ORCID iD was typed on the profile before: the sign-in proves this one
    is the researcher's. A copy of it merely typed on another profile gives way (removed, audited,
    the Library told); one proven there (authenticated or verified) is refused for the Library.
    """
    _require_edit(person, acting_user)
    orcid = normalise_person_identifier(PersonIdentifierType.ORCID, raw_orcid)
    elsewhere = PersonIdentifier.objects.filter(
        id_type=PersonIdentifierType.ORCID, value=orcid
    ).exclude(person=person)
    if elsewhere.filter(status__in=PROVEN_STATUSES).exists():
        raise DuplicateIdentifierError(
            "This ORCID iD belongs to another researcher's profile (proven there); "
            "please contact the Library if it is yours."
        )
    _displace_typed_claims(
        person, PersonIdentifierType.ORCID, orcid, "Signed in to ORCID", acting_user
    )
    for old in person.identifiers.filter(id_type=PersonIdentifierType.ORCID).exclude(value=orcid):
        do_remove_person_identifier(old, acting_user=acting_user)
    identifier = person.identifiers.filter(id_type=PersonIdentifierType.ORCID).first()
    if identifier is None:
        return do_add_person_identifier(
            person,
            PersonIdentifierType.ORCID,
            orcid,
            acting_user=acting_user,
            status=IdentifierStatus.AUTHENTICATED,
            evidence="Signed in to ORCID and authorised the portal.",
        )
    return _change_status(
        identifier,
        IdentifierStatus.AUTHENTICATED,
        "Signed in to ORCID and authorised the portal.",
        acting_user,
    )


@transaction.atomic
def do_remove_person_identifier(identifier: PersonIdentifier, *, acting_user: Actor) -> None:
    """Remove an identifier from a profile (e.g. a Scopus Author ID that is someone else's)."""
    person = identifier.person
    _require_edit(person, acting_user)
    before = snapshot(identifier, ["id_type", "value", "status"])
    record_change(
        actor=acting_user,
        action=AuditAction.DELETE,
        target=identifier,
        person=person,
        before=before,
    )
    identifier.delete()


@transaction.atomic
def do_set_identifier_status(
    identifier: PersonIdentifier,
    status: IdentifierStatus,
    *,
    acting_user: Actor,
    evidence: str = "",
) -> PersonIdentifier:
    """Library staff mark an identifier verified or rejected, with their evidence."""
    if acting_user is not None and not can_verify_identifiers(acting_user):
        raise NotAllowedError("Only the Library can verify or reject identifiers.")
    if status == IdentifierStatus.AUTHENTICATED:
        raise NotAllowedError("Only an ORCID sign-in can authenticate an ORCID iD.")
    if status == IdentifierStatus.VERIFIED:
        # One row per identifier today, but a verdict must never leave a typed twin standing.
        _displace_typed_claims(
            identifier.person,
            identifier.id_type,
            identifier.value,
            "Verified by the Library",
            acting_user,
        )
    return _change_status(identifier, status, evidence, acting_user)


def _change_status(
    identifier: PersonIdentifier, status: IdentifierStatus, evidence: str, acting_user: Actor
) -> PersonIdentifier:
    """Write a new status with who set it and why, and log the change."""
    fields = ["status", "evidence", "status_changed_by", "status_changed_at"]
    before = snapshot(identifier, fields)
    identifier.status = status
    identifier.evidence = evidence
    identifier.status_changed_by = acting_account(acting_user)
    identifier.status_changed_at = timezone.now()
    identifier.save(update_fields=fields)
    record_change(
        actor=acting_user,
        action=AuditAction.UPDATE,
        target=identifier,
        person=identifier.person,
        before=before,
        after=snapshot(identifier, fields),
    )
    return identifier


@transaction.atomic
def do_add_person_link(
    person: Person, link_type: str, url: str, *, acting_user: Actor, label: str = ""
) -> PersonLink:
    """Add a link to the profile's "Other Links"."""
    _require_edit(person, acting_user)
    link = PersonLink(person=person, link_type=link_type, url=url, label=label)
    link.full_clean(exclude=["person"])
    link.save()
    record_change(
        actor=acting_user,
        action=AuditAction.CREATE,
        target=link,
        person=person,
        after=snapshot(link, ["link_type", "url", "label"]),
    )
    return link


@transaction.atomic
def do_remove_person_link(link: PersonLink, *, acting_user: Actor) -> None:
    """Remove a link from the profile's "Other Links"."""
    _require_edit(link.person, acting_user)
    record_change(
        actor=acting_user,
        action=AuditAction.DELETE,
        target=link,
        person=link.person,
        before=snapshot(link, ["link_type", "url", "label"]),
    )
    link.delete()
