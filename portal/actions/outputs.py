"""Writes to research outputs: entry, correction, the validation workflow, merging duplicates.

The workflow (Pure's): Entry in progress --submit--> For validation --validate--> Validated.
The Library may return an output (submitted or validated) to the researcher with a comment
(Returned); the researcher corrects it and submits again. After validation only the Library
edits; the researcher may ask for a change. Withdrawn outputs (and outputs merged into another)
leave the portal and the ORCID export.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

import identifiers
from portal import notifications
from portal.actions.workflow import (
    MAX_COMMENT as WORKFLOW_MAX_COMMENT,
)
from portal.actions.workflow import RESEARCHER_EDITABLE as RESEARCHER_EDITABLE
from portal.actions.workflow import (
    add_comment as workflow_add_comment,
)
from portal.actions.workflow import (
    can_change_fields as workflow_can_change_fields,
)
from portal.actions.workflow import (
    can_edit as workflow_can_edit,
)
from portal.actions.workflow import (
    is_editor as workflow_is_editor,
)
from portal.actions.workflow import (
    is_library as workflow_is_library,
)
from portal.actions.workflow import (
    request_change as workflow_request_change,
)
from portal.actions.workflow import (
    require_library as workflow_require_library,
)
from portal.actions.workflow import (
    return_to_researcher as workflow_return_to_researcher,
)
from portal.actions.workflow import (
    submit as workflow_submit,
)
from portal.actions.workflow import (
    validate as workflow_validate,
)
from portal.actions.workflow import (
    withdraw as workflow_withdraw,
)
from portal.audit import Actor, record_change, snapshot
from portal.choices import (
    AuditAction,
    OutputCommentKind,
    OutputIdentifierType,
    OutputSource,
    WorkflowStatus,
)
from portal.errors import DuplicateIdentifierError, InvalidIdentifierError, NotAllowedError
from portal.models import (
    Contributor,
    OrgUnit,
    OutputComment,
    OutputIdentifier,
    Person,
    ResearchOutput,
)
from portal.permissions import can_edit_person, can_verify_identifiers
from portal.signals import output_merged

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
    "article_number",
    "edition",
    "event",
    "awarding_institution",
    "publisher",
    "language",
    "abstract",
    "keywords",
    "publication_status",
    "submitted_date",
    "accepted_date",
    "epub_date",
    "published_date",
    "open_access_url",
    "licence",
    "visibility",
    "managing_unit",
)
# Identifiers that name one publication: two outputs holding the same one are one output.
UNIQUE_IDENTIFIER_TYPES = (OutputIdentifierType.DOI, OutputIdentifierType.EID)
MAX_COMMENT = WORKFLOW_MAX_COMMENT


@dataclass(frozen=True)
class ContributorEntry:
    """One author of a new output, in order: an internal person, or a name as printed."""

    family_name: str
    given_names: str = ""
    person: Person | None = None
    external_affiliation: str = ""
    role: str = "author"


def is_author(user: Actor, output: ResearchOutput) -> bool:
    """Whether the user's researcher profile is among the output's contributors."""
    return workflow_is_editor(user, output)


def can_edit_output(user: Actor, output: ResearchOutput) -> bool:
    """Library staff edit any output; a researcher only outputs they are an author of."""
    return workflow_can_edit(user, output)


def can_change_fields(user: Actor, output: ResearchOutput) -> bool:
    """Who may correct the fields now: the Library always (but not a withdrawn output), an
    author until the output is validated."""
    return workflow_can_change_fields(user, output)


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
    return output.workflow_person()


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


def _check_fields(fields: Mapping[str, Any]) -> None:
    unknown = sorted(set(fields) - set(OUTPUT_FIELDS))
    if unknown:
        raise NotAllowedError(f"These fields cannot be set here: {', '.join(unknown)}.")


def _require_author_among(contributors: Sequence[ContributorEntry], acting_user: Actor) -> None:
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


def _normalised_identifiers(
    output_identifiers: Iterable[tuple[str, str]], exclude: ResearchOutput | None = None
) -> list[tuple[str, str]]:
    """Canonical, de-duplicated identifiers; a DOI or EID held by another output is refused."""
    values: list[tuple[str, str]] = []
    for id_type, raw_value in output_identifiers:
        value = normalise_output_identifier(id_type, raw_value)
        if (id_type, value) not in values:
            values.append((id_type, value))
    for id_type, value in values:
        if id_type in UNIQUE_IDENTIFIER_TYPES:
            clashes = OutputIdentifier.objects.filter(id_type=id_type, value=value).exclude(
                output__workflow_status=WorkflowStatus.WITHDRAWN
            )
            if exclude is not None:
                clashes = clashes.exclude(output=exclude)
            clash = clashes.first()
            if clash is not None:
                label = OutputIdentifierType(id_type).label
                raise DuplicateIdentifierError(
                    f"This {label} is already recorded on research output {clash.output_id}."
                )
    return values


def _contributor_rows(
    output: ResearchOutput, contributors: Sequence[ContributorEntry]
) -> list[Contributor]:
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
    return rows


def _described(output: ResearchOutput) -> dict[str, Any]:
    """Everything the audit log keeps of an output's content, before and after a change."""
    values = snapshot(output, [*OUTPUT_FIELDS, "workflow_status", "source"])
    values["contributors"] = [
        f"{row.name_as_printed}" + (f" [person {row.person_id}]" if row.person_id else "")
        for row in output.contributors.order_by("position")
    ]
    values["identifiers"] = sorted(
        f"{id_type}:{value}"
        for id_type, value in output.identifiers.values_list("id_type", "value")
    )
    values["units"] = sorted(output.units.values_list("pk", flat=True))
    return values


@transaction.atomic
def do_create_output(
    fields: Mapping[str, Any],
    contributors: Sequence[ContributorEntry],
    output_identifiers: Sequence[tuple[str, str]] = (),
    *,
    acting_user: Actor,
    source: OutputSource = OutputSource.MANUAL,
    units: Sequence[OrgUnit] = (),
) -> ResearchOutput:
    """Enter a research output with its ordered authors and identifiers ("Entry in progress").

    A researcher may enter only outputs they are an author of; a DOI or Scopus EID already on
    another output is refused, so one publication is not recorded twice.
    """
    if acting_user is not None and not acting_user.is_authenticated:
        raise NotAllowedError("Please log in to enter research outputs.")
    _check_fields(fields)
    _require_author_among(contributors, acting_user)
    values = _normalised_identifiers(output_identifiers)
    output = ResearchOutput(
        **fields, source=source, workflow_status=WorkflowStatus.ENTRY_IN_PROGRESS
    )
    output.full_clean(exclude=["title_key"])
    _check_publication_date(output)
    output.save()
    rows = _contributor_rows(output, contributors)
    Contributor.objects.bulk_create(rows)
    OutputIdentifier.objects.bulk_create(
        OutputIdentifier(output=output, id_type=id_type, value=value) for id_type, value in values
    )
    if units:
        output.units.set(units)
    after = snapshot(output, [*OUTPUT_FIELDS, "workflow_status", "source"])
    after["contributors"] = [row.name_as_printed for row in rows]
    after["identifiers"] = [f"{id_type}:{value}" for id_type, value in values]
    if units:
        after["units"] = sorted(unit.pk for unit in units)
    record_change(
        actor=acting_user,
        action=AuditAction.CREATE,
        target=output,
        person=next((row.person for row in rows if row.person is not None), None),
        after=after,
    )
    return output


@transaction.atomic
def do_update_output(
    output: ResearchOutput,
    fields: Mapping[str, Any],
    contributors: Sequence[ContributorEntry],
    output_identifiers: Sequence[tuple[str, str]],
    *,
    acting_user: Actor,
    units: Sequence[OrgUnit] = (),
) -> list[str]:
    """Correct an output's fields, authors, identifiers and units; returns what changed.

    An author may correct it until it is validated; after that only the Library may.
    """
    current = ResearchOutput.objects.select_for_update().get(pk=output.pk)
    if not can_change_fields(acting_user, current):
        if current.workflow_status == WorkflowStatus.VALIDATED and is_author(acting_user, current):
            raise NotAllowedError(
                "This output has been validated: only the Library can change it now. "
                "Use 'Request a change' to tell them what to correct."
            )
        raise NotAllowedError("You can only change outputs you are an author of.")
    _check_fields(fields)
    _require_author_among(contributors, acting_user)
    values = _normalised_identifiers(output_identifiers, exclude=current)
    before = _described(current)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean(exclude=["title_key"])
    _check_publication_date(current)
    current.save()
    current.contributors.all().delete()
    Contributor.objects.bulk_create(_contributor_rows(current, contributors))
    current.identifiers.all().delete()
    OutputIdentifier.objects.bulk_create(
        OutputIdentifier(output=current, id_type=id_type, value=value) for id_type, value in values
    )
    current.units.set(units)
    after = _described(current)
    changed = [name for name in after if after[name] != before.get(name)]
    if changed:
        record_change(
            actor=acting_user,
            action=AuditAction.UPDATE,
            target=current,
            person=_first_internal_person(current),
            before={name: before.get(name) for name in changed},
            after={name: after[name] for name in changed},
        )
    for name in ("title", "title_key", "updated_at", "workflow_status", *fields):
        setattr(output, name, getattr(current, name))
    return changed


def _add_comment(
    output: ResearchOutput, kind: OutputCommentKind, text: str, acting_user: Actor
) -> OutputComment:
    return cast(OutputComment, workflow_add_comment(output, kind, text, acting_user))


@transaction.atomic
def do_submit_output_for_validation(
    output: ResearchOutput, *, acting_user: Actor
) -> ResearchOutput:
    """An author or the Library hands an output in progress to the Library ("For validation")."""
    if not can_edit_output(acting_user, output):
        raise NotAllowedError("You can only submit outputs you are an author of.")
    return workflow_submit(output, acting_user)


def _require_library(acting_user: Actor, doing: str) -> None:
    workflow_require_library(acting_user, doing)


@transaction.atomic
def do_validate_output(output: ResearchOutput, *, acting_user: Actor) -> ResearchOutput:
    """The Library validates a submitted output (or a validated one after a requested change);
    validated public outputs show on the portal and go to ORCID."""
    _require_library(acting_user, "validate research outputs")
    return workflow_validate(output, acting_user, notifications.output_validated)


@transaction.atomic
def do_validate_outputs(
    outputs: Iterable[ResearchOutput], *, acting_user: Actor
) -> list[ResearchOutput]:
    """Validate a selection at once: all of them, or none if one cannot be validated."""
    return [do_validate_output(output, acting_user=acting_user) for output in outputs]


@transaction.atomic
def do_return_output(output: ResearchOutput, comment: str, *, acting_user: Actor) -> ResearchOutput:
    """The Library sends an output back to the researcher, saying what to correct."""
    _require_library(acting_user, "return research outputs")
    return workflow_return_to_researcher(
        output, comment, acting_user, notifications.output_returned
    )


@transaction.atomic
def do_withdraw_output(output: ResearchOutput, *, acting_user: Actor) -> ResearchOutput:
    """Take an output out of the portal (and so off ORCID at the next export).

    An author may withdraw one not yet validated; the Library may withdraw any.
    """
    if not workflow_is_library(acting_user) and not is_author(acting_user, output):
        raise NotAllowedError("You can only withdraw outputs you are an author of.")
    return workflow_withdraw(output, acting_user)


@transaction.atomic
def do_request_output_change(
    output: ResearchOutput, comment: str, *, acting_user: Actor
) -> OutputComment:
    """An author asks the Library to change a validated output (only the Library edits it)."""
    if not is_author(acting_user, output) and not (
        acting_user is not None and can_verify_identifiers(acting_user)
    ):
        raise NotAllowedError("You can only ask for changes to outputs you are an author of.")
    return cast(OutputComment, workflow_request_change(output, comment, acting_user))


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
def do_mark_not_duplicate(
    output: ResearchOutput, other: ResearchOutput, *, acting_user: Actor
) -> None:
    """Record that two outputs are different publications, so the check stops pairing them."""
    if not (can_edit_output(acting_user, output) or can_edit_output(acting_user, other)):
        raise NotAllowedError("You can only decide about outputs you are an author of.")
    if output.pk == other.pk:
        raise NotAllowedError("An output cannot be a duplicate of itself.")
    output.not_duplicates.add(other)
    record_change(
        actor=acting_user,
        action=AuditAction.UPDATE,
        target=output,
        person=_first_internal_person(output),
        after={"not_duplicate_of": other.pk},
    )


@transaction.atomic
def do_merge_outputs(
    survivor: ResearchOutput, duplicate: ResearchOutput, *, acting_user: Actor
) -> ResearchOutput:
    """The Library merges a duplicate into the output that stays: its identifiers, internal
    authors and units move over, its URL redirects to the survivor, and the ORCID export's
    put-codes follow (the `output_merged` signal)."""
    _require_library(acting_user, "merge research outputs")
    if survivor.pk == duplicate.pk:
        raise NotAllowedError("Choose two different outputs to merge.")
    locked = {
        row.pk: row
        for row in ResearchOutput.objects.select_for_update().filter(
            pk__in=[survivor.pk, duplicate.pk]
        )
    }
    keep, gone = locked[survivor.pk], locked[duplicate.pk]
    gone_state = gone.workflow_status
    for row in (keep, gone):
        if row.workflow_status == WorkflowStatus.WITHDRAWN:
            raise NotAllowedError(f"Research output {row.pk} is withdrawn; it cannot be merged.")
    kept_ids = set(keep.identifiers.values_list("id_type", "value"))
    gone_ids = set(gone.identifiers.values_list("id_type", "value"))
    for id_type in UNIQUE_IDENTIFIER_TYPES:
        mine = {value for kind, value in kept_ids if kind == id_type}
        theirs = {value for kind, value in gone_ids if kind == id_type}
        if mine and theirs and not mine & theirs:
            label = OutputIdentifierType(id_type).label
            raise NotAllowedError(
                f"These outputs have different {label}s ({', '.join(sorted(mine))} and "
                f"{', '.join(sorted(theirs))}): they are different publications."
            )
    before = _described(keep)
    moved_ids = sorted(gone_ids - kept_ids)
    gone.identifiers.all().delete()
    OutputIdentifier.objects.bulk_create(
        OutputIdentifier(output=keep, id_type=id_type, value=value) for id_type, value in moved_ids
    )
    rows = list(keep.contributors.select_for_update().order_by("position"))
    held = {row.person_id for row in rows if row.person_id}
    last = rows[-1].position if rows else 0
    for theirs_row in gone.contributors.filter(person__isnull=False).select_related("person"):
        person = theirs_row.person
        if person is None or person.pk in held:
            continue
        surname = theirs_row.family_name.casefold()
        unlinked = next(
            (r for r in rows if r.person_id is None and r.family_name.casefold() == surname), None
        )
        if unlinked is not None:
            unlinked.person = person
            unlinked.save(update_fields=["person"])
        else:
            last += 1
            Contributor.objects.create(
                output=keep,
                position=last,
                person=person,
                given_names=theirs_row.given_names,
                family_name=theirs_row.family_name,
                external_affiliation=theirs_row.external_affiliation,
                role=theirs_row.role,
            )
        held.add(person.pk)
    keep.units.add(*gone.units.all())
    OutputComment.objects.filter(output=gone).update(output=keep)
    keep.save(update_fields=["updated_at"])
    gone.merged_into = keep
    gone.workflow_status = WorkflowStatus.WITHDRAWN
    gone.save(update_fields=["merged_into", "workflow_status", "updated_at"])
    after = _described(keep)
    record_change(
        actor=acting_user,
        action=AuditAction.UPDATE,
        target=keep,
        person=_first_internal_person(keep),
        before={name: before[name] for name in after if after[name] != before[name]},
        after={
            **{name: after[name] for name in after if after[name] != before[name]},
            "merged_from": gone.pk,
        },
    )
    record_change(
        actor=acting_user,
        action=AuditAction.UPDATE,
        target=gone,
        person=_first_internal_person(keep),
        before={"workflow_status": gone_state},
        after={"workflow_status": WorkflowStatus.WITHDRAWN.value, "merged_into": keep.pk},
    )
    output_merged.send(sender=ResearchOutput, survivor=keep, merged=gone)
    duplicate.merged_into = keep
    duplicate.workflow_status = WorkflowStatus.WITHDRAWN
    return keep
