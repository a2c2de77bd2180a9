"""Every meaningful write to the portal's data: atomic, permission-checked, audited.

Views, the admin, commands and jobs all call these; nothing else saves portal models (the demo
generator's bulk import is the one batch path, and it audits per batch).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import IntegrityError, connections, models, router, transaction
from django.utils import timezone

import identifiers
from portal.audit import Actor, acting_account, actor_label, record_change, snapshot
from portal.choices import AuditAction, IdentifierStatus, PersonIdentifierType
from portal.errors import DuplicateIdentifierError, InvalidIdentifierError, NotAllowedError
from portal.models import AuditEntry, Person, PersonIdentifier, PersonLink
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


def check_identifier_free(person: Person, id_type: str, value: str) -> None:
    """Refuse an identifier already recorded on this or another profile."""
    label = PersonIdentifierType(id_type).label
    existing = PersonIdentifier.objects.filter(id_type=id_type, value=value).first()
    if existing is not None:
        if existing.person_id == person.pk:
            raise DuplicateIdentifierError(f"This {label} is already on this profile.")
        raise DuplicateIdentifierError(
            f"This {label} is already on another researcher's profile; "
            "please contact the Library if it is yours."
        )
    if (
        id_type == PersonIdentifierType.ORCID
        and PersonIdentifier.objects.filter(person=person, id_type=id_type).exists()
    ):
        raise DuplicateIdentifierError("A profile holds one ORCID iD; remove the old one first.")


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
    check_identifier_free(person, id_type, value)
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


@transaction.atomic
def do_import_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    acting_user: Actor,
    description: str,
) -> int:
    """Insert many rows with their primary keys given, audited as one batch.

    The one bulk path (demo and scale generator, imports): COPY on PostgreSQL, one prepared
    INSERT executed for every row elsewhere. Rows must be complete and valid: no per-row model
    validation runs here.
    """
    if not rows:
        return 0
    table = model._meta.db_table
    columns = [model._meta.get_field(name).column for name in fields]  # type: ignore[union-attr]
    connection = connections[router.db_for_write(model)]
    quoted = ", ".join(connection.ops.quote_name(str(column)) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw_cursor = cursor.cursor
            with raw_cursor.copy(
                f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            # Table and column names come from model metadata, never from input.
            insert = (
                f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({placeholders})"  # noqa: S608
            )
            cursor.executemany(insert, rows)
    AuditEntry.objects.create(
        actor=acting_account(acting_user),
        actor_label=actor_label(acting_user),
        action=AuditAction.CREATE,
        target_type=model._meta.label_lower,
        target_id=f"{rows[0][0]}..{rows[-1][0]}",
        target_label=f"{description}: {len(rows)} rows",
    )
    return len(rows)


def reset_primary_key_sequences(*model_classes: type[models.Model]) -> None:
    """After inserting rows with explicit keys, let PostgreSQL's sequences continue after them."""
    for model in model_classes:
        connection = connections[router.db_for_write(model)]
        statements = connection.ops.sequence_reset_sql(no_style(), [model])
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
