"""Writes to research outputs: creation, authors, the validation workflow."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

import identifiers
from portal.audit import Actor, record_change, snapshot
from portal.choices import (
    AuditAction,
    OutputIdentifierType,
    OutputSource,
    WorkflowStatus,
)
from portal.errors import DuplicateIdentifierError, InvalidIdentifierError, NotAllowedError
from portal.models import (
    Contributor,
    OutputIdentifier,
    Person,
    ResearchOutput,
)
from portal.permissions import can_edit_person, can_verify_identifiers

# The profile fields a researcher may change on "Edit profile"; official names come from HR.

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


@transaction.atomic
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
