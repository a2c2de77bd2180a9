"""Every meaningful write to the portal's data: atomic, permission-checked, audited.

Views, the admin, commands and jobs all call these; nothing else saves portal models (the demo
generator's bulk import is the one batch path, and it audits per batch).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import IntegrityError, connections, models, router, transaction
from django.utils import timezone

import identifiers
from portal.audit import Actor, acting_account, actor_label, record_change, snapshot
from portal.choices import (
    AuditAction,
    IdentifierStatus,
    OutputIdentifierType,
    OutputSource,
    PersonIdentifierType,
    WorkflowStatus,
)
from portal.errors import DuplicateIdentifierError, InvalidIdentifierError, NotAllowedError
from portal.models import (
    AuditEntry,
    Contributor,
    OutputIdentifier,
    Person,
    PersonIdentifier,
    PersonLink,
    ResearchOutput,
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
@transaction.atomic
def do_record_authenticated_orcid(
    person: Person, raw_orcid: str, *, acting_user: Actor
) -> PersonIdentifier:
    """The iD ORCID returned after the researcher signed in and authorised the portal.

    It replaces whatever ORCID iD was typed on the profile before: the sign-in proves this one
    is the researcher's. An iD on someone else's profile is refused for the Library to sort out.
    """
    _require_edit(person, acting_user)
    orcid = normalise_person_identifier(PersonIdentifierType.ORCID, raw_orcid)
    elsewhere = PersonIdentifier.objects.filter(id_type=PersonIdentifierType.ORCID, value=orcid)
    if elsewhere.exclude(person=person).exists():
        raise DuplicateIdentifierError(
            "This ORCID iD is already on another researcher's profile; "
            "please contact the Library if it is yours."
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


# --- research outputs --------------------------------------------------------------------

# What a researcher or the Library types in when entering an output by hand.
OUTPUT_FIELDS = (
    "output_type",
    "title",
    "subtitle",
    "publication_year",
    "publication_month",
    "publication_day",
    "host_title",
    "volume",
    "issue",
    "pages",
    "publisher",
    "language",
    "abstract",
    "keywords",
    "publication_status",
    "visibility",
    "managing_unit",
)


@dataclass(frozen=True)
class ContributorEntry:
    """One author of a new output, in order: an internal person, or a name as printed."""

    family_name: str
    given_names: str = ""
    person: Person | None = None
    external_affiliation: str = ""
    role: str = "author"


def can_edit_output(user: Actor, output: ResearchOutput) -> bool:
    """Library staff edit any output; a researcher only outputs they are an author of."""
    if user is None:
        return True
    if not user.is_authenticated:
        return False
    if can_verify_identifiers(user):
        return True
    return output.contributors.filter(person__user_id=user.pk).exists()


def normalise_output_identifier(id_type: str, raw_value: str) -> str:
    """The canonical form of an output identifier, or InvalidIdentifierError with the reason."""
    if id_type not in OutputIdentifierType.values:
        raise InvalidIdentifierError(f"'{id_type}' is not an output ID type the portal records.")
    if id_type == OutputIdentifierType.WOS:
        # identifiers has no Web of Science scheme: keep the accession number as given.
        value = raw_value.strip()
        if not value or len(value) > 255 or not value.isprintable():
            raise InvalidIdentifierError("Web of Science UID should be a short printable value.")
        return value
    try:
        return identifiers.normalise(identifiers.Scheme(id_type), raw_value)
    except identifiers.IdentifierError as error:
        raise InvalidIdentifierError(str(error)) from error


def _first_internal_person(output: ResearchOutput) -> Person | None:
    contributor = output.contributors.filter(person__isnull=False).select_related("person").first()
    return contributor.person if contributor else None


def _check_publication_date(output: ResearchOutput) -> None:
    """Refuse dates no publication can have (the model only knows small positive numbers)."""
    errors: dict[str, str] = {}
    latest = timezone.now().year + 2  # accepted papers carry next year's issue date
    if not 1000 <= output.publication_year <= latest:
        errors["publication_year"] = f"The year should be between 1000 and {latest}."
    if output.publication_month is not None and not 1 <= output.publication_month <= 12:
        errors["publication_month"] = "The month should be between 1 and 12."
    if output.publication_day is not None and not 1 <= output.publication_day <= 31:
        errors["publication_day"] = "The day should be between 1 and 31."
    if output.publication_day is not None and output.publication_month is None:
        errors["publication_day"] = "A day needs a month."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def do_create_output(
    fields: Mapping[str, Any],
    contributors: Sequence[ContributorEntry],
    output_identifiers: Sequence[tuple[str, str]] = (),
    *,
    acting_user: Actor,
    source: OutputSource = OutputSource.MANUAL,
) -> ResearchOutput:
    """Enter a research output with its ordered authors and identifiers ("Entry in progress").

    A researcher may enter only outputs they are an author of; a DOI or Scopus EID already on
    another output is refused, so one publication is not recorded twice.
    """
    if acting_user is not None and not acting_user.is_authenticated:
        raise NotAllowedError("Please log in to enter research outputs.")
    unknown = sorted(set(fields) - set(OUTPUT_FIELDS))
    if unknown:
        raise NotAllowedError(f"These fields cannot be set here: {', '.join(unknown)}.")
    if not contributors:
        raise ValidationError({"contributors": "An output needs at least one author."})
    if (
        acting_user is not None
        and not can_verify_identifiers(acting_user)
        and not any(
            entry.person is not None and entry.person.user_id == acting_user.pk
            for entry in contributors
        )
    ):
        raise NotAllowedError("You can only enter outputs you are an author of.")
    values: list[tuple[str, str]] = []
    for id_type, raw_value in output_identifiers:
        value = normalise_output_identifier(id_type, raw_value)
        if (id_type, value) not in values:
            values.append((id_type, value))
    for id_type, value in values:
        if id_type in (OutputIdentifierType.DOI, OutputIdentifierType.EID):
            clash = OutputIdentifier.objects.filter(id_type=id_type, value=value).first()
            if clash is not None:
                label = OutputIdentifierType(id_type).label
                raise DuplicateIdentifierError(
                    f"This {label} is already recorded on research output {clash.output_id}."
                )
    output = ResearchOutput(
        **fields, source=source, workflow_status=WorkflowStatus.ENTRY_IN_PROGRESS
    )
    output.full_clean()
    _check_publication_date(output)
    output.save()
    rows = []
    for position, entry in enumerate(contributors, start=1):
        family_name = entry.family_name.strip() or (
            entry.person.family_name if entry.person else ""
        )
        contributor = Contributor(
            output=output,
            position=position,
            person=entry.person,
            given_names=entry.given_names.strip(),
            family_name=family_name,
            external_affiliation=entry.external_affiliation.strip(),
            role=entry.role,
        )
        contributor.full_clean(exclude=["output"])
        rows.append(contributor)
    Contributor.objects.bulk_create(rows)
    OutputIdentifier.objects.bulk_create(
        OutputIdentifier(output=output, id_type=id_type, value=value) for id_type, value in values
    )
    after = snapshot(output, [*OUTPUT_FIELDS, "workflow_status", "source"])
    after["contributors"] = [row.name_as_printed for row in rows]
    after["identifiers"] = [f"{id_type}:{value}" for id_type, value in values]
    record_change(
        actor=acting_user,
        action=AuditAction.CREATE,
        target=output,
        person=next((row.person for row in rows if row.person is not None), None),
        after=after,
    )
    return output


def _move_output(
    output: ResearchOutput, expected: WorkflowStatus, new: WorkflowStatus, acting_user: Actor
) -> ResearchOutput:
    # Re-read under a row lock so two editors cannot both move the same output.
    current = ResearchOutput.objects.select_for_update().get(pk=output.pk)
    if current.workflow_status != expected:
        raise NotAllowedError(
            f"Only an output in '{expected.label}' can move to '{new.label}'; this one is in "
            f"'{current.get_workflow_status_display()}'."
        )
    before = snapshot(current, ["workflow_status"])
    current.workflow_status = new
    current.save(update_fields=["workflow_status", "updated_at"])
    record_change(
        actor=acting_user,
        action=AuditAction.UPDATE,
        target=current,
        person=_first_internal_person(current),
        before=before,
        after=snapshot(current, ["workflow_status"]),
    )
    output.workflow_status = current.workflow_status
    output.updated_at = current.updated_at
    return output


@transaction.atomic
@transaction.atomic
def do_add_author(output: ResearchOutput, person: Person, *, acting_user: Actor) -> Contributor:
    """Record a researcher as an author of an existing output: on the unlinked author line
    that carries their surname (a name as printed), or as a new last author."""
    if acting_user is not None and not can_edit_person(acting_user, person):
        raise NotAllowedError("You can only claim outputs for your own profile.")
    rows = list(Contributor.objects.select_for_update().filter(output=output).order_by("position"))
    if any(row.person_id == person.pk for row in rows):
        raise DuplicateIdentifierError("You are already an author of this output.")
    surname = person.family_name.casefold()
    row = next(
        (r for r in rows if r.person_id is None and r.family_name.casefold() == surname), None
    )
    before = snapshot(row, ["person", "family_name", "given_names"]) if row else None
    if row is None:
        row = Contributor.objects.create(
            output=output,
            position=(rows[-1].position + 1) if rows else 1,
            person=person,
            given_names=person.given_names,
            family_name=person.family_name,
        )
    else:
        row.person = person
        row.save(update_fields=["person"])
    record_change(
        actor=acting_user,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        target=row,
        person=person,
        before=before,
        after=snapshot(row, ["person", "family_name", "given_names"]),
    )
    return row


def do_submit_output_for_validation(
    output: ResearchOutput, *, acting_user: Actor
) -> ResearchOutput:
    """An author or the Library hands an output in progress to the Library ("For validation")."""
    if not can_edit_output(acting_user, output):
        raise NotAllowedError("You can only submit outputs you are an author of.")
    return _move_output(
        output, WorkflowStatus.ENTRY_IN_PROGRESS, WorkflowStatus.FOR_VALIDATION, acting_user
    )


@transaction.atomic
def do_validate_output(output: ResearchOutput, *, acting_user: Actor) -> ResearchOutput:
    """The Library validates a submitted output; validated public outputs show on the portal."""
    if acting_user is not None and not can_verify_identifiers(acting_user):
        raise NotAllowedError("Only the Library can validate research outputs.")
    return _move_output(
        output, WorkflowStatus.FOR_VALIDATION, WorkflowStatus.VALIDATED, acting_user
    )
