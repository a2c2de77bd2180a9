"""The Library's validation workflow, for any model built on `portal.models.workflow`.

Research outputs (portal.actions.outputs), projects, datasets and student theses move through
the same states with the same rules: an editor (an author, a participant, the owner ...) or
the Library submits an item; only the Library validates or returns it, with a comment; after
validation only the Library edits it, and the researcher may ask for a change; an editor
withdraws an item not yet validated, the Library any. Each move re-reads the item under a row
lock, writes one audit entry, and mails after the transaction commits (`notify` callbacks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.audit import Actor, acting_account, actor_label, record_change, snapshot
from portal.choices import AuditAction, OutputCommentKind, WorkflowStatus
from portal.errors import NotAllowedError
from portal.models.workflow import WorkflowComment, WorkflowItem
from portal.permissions import can_verify_identifiers

Item = TypeVar("Item", bound=WorkflowItem)

# States in which an editor (not only the Library) may still change the fields.
RESEARCHER_EDITABLE = (
    WorkflowStatus.ENTRY_IN_PROGRESS,
    WorkflowStatus.FOR_VALIDATION,
    WorkflowStatus.RETURNED,
)
MAX_COMMENT = 5000
# A subclass has `updated_at` (auto_now) beside the workflow's columns.
CHANGE_REQUEST_COLUMNS: list[str] = ["change_requested", "updated_at"]

# Called after commit with the item's pk (validated) or the item's and comment's pks (returned).
OnValidated = Callable[[int], object]
OnReturned = Callable[[int, int], object]


def is_library(user: Actor) -> bool:
    """The Library, or a job or command acting for it (no user)."""
    return user is None or (user.is_authenticated and can_verify_identifiers(user))


def is_editor(user: Actor, item: WorkflowItem) -> bool:
    """Whether the user is one of the item's researchers (author, participant, owner ...)."""
    if user is None or not user.is_authenticated:
        return False
    return item.is_editor(user)


def can_edit(user: Actor, item: WorkflowItem) -> bool:
    """The Library edits any item; a researcher only their own."""
    if user is None:
        return True
    if not user.is_authenticated:
        return False
    return is_library(user) or is_editor(user, item)


def can_change_fields(user: Actor, item: WorkflowItem) -> bool:
    """Who may correct the fields now: the Library always (but not a withdrawn item), an
    editor until the item is validated."""
    if item.workflow_status == WorkflowStatus.WITHDRAWN:
        return False
    if is_library(user):
        return True
    return item.workflow_status in RESEARCHER_EDITABLE and is_editor(user, item)


def require_library(acting_user: Actor, doing: str) -> None:
    if not is_library(acting_user):
        raise NotAllowedError(f"Only the Library can {doing}.")


def locked(item: Item) -> Item:
    """The item re-read under a row lock, so two editors cannot both move it."""
    return type(item)._default_manager.select_for_update().get(pk=item.pk)


def move(
    item: Item,
    expected: Sequence[WorkflowStatus],
    new: WorkflowStatus,
    acting_user: Actor,
    **extra: Any,
) -> Item:
    """Move an item from one of the expected states to a new one (with the extra columns),
    audited; the caller's instance is updated too. Call it inside the action's transaction."""
    current = locked(item)
    if current.workflow_status not in expected:
        allowed = " or ".join(f"'{WorkflowStatus(state).label}'" for state in expected)
        raise NotAllowedError(
            f"Only {_a(item.workflow_noun)} in {allowed} can move to '{new.label}'; this one is "
            f"in '{current.workflow_label}'."
        )
    before = snapshot(current, ["workflow_status"])
    current.workflow_status = new
    for name, value in extra.items():
        setattr(current, name, value)
    current.save(update_fields=["workflow_status", "updated_at", *extra])
    record_change(
        actor=acting_user,
        action=AuditAction.UPDATE,
        target=current,
        person=current.workflow_person(),
        before=before,
        after=snapshot(current, ["workflow_status"]),
    )
    for name in ("workflow_status", "updated_at", *extra):
        setattr(item, name, getattr(current, name))
    return item


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def add_comment(
    item: WorkflowItem, kind: OutputCommentKind, text: str, acting_user: Actor
) -> WorkflowComment:
    """A workflow comment on the item, audited; refused when empty or too long."""
    text = text.strip()
    if not text:
        raise ValidationError({"comment": "Please say what should change."})
    if len(text) > MAX_COMMENT:
        raise ValidationError({"comment": f"Keep the comment to {MAX_COMMENT:,} characters."})
    model = item.comment_model()
    comment = model.for_item(
        item,
        author=acting_account(acting_user),
        author_label=actor_label(acting_user),
        kind=kind,
        text=text,
    )
    comment.save()
    record_change(
        actor=acting_user,
        action=AuditAction.CREATE,
        target=comment,
        person=item.workflow_person(),
        after={model.ITEM_FIELD: item.pk, "kind": kind.value, "text": text},
    )
    return comment


def submit(item: Item, acting_user: Actor) -> Item:
    """Hand an item in progress (or returned) to the Library; see do_submit_for_validation."""
    if not can_edit(acting_user, item):
        raise NotAllowedError(f"You can only submit {item.workflow_noun}s of your own.")
    return move(
        item,
        [WorkflowStatus.ENTRY_IN_PROGRESS, WorkflowStatus.RETURNED],
        WorkflowStatus.FOR_VALIDATION,
        acting_user,
        submitted_at=timezone.now(),
        submitted_by=acting_account(acting_user),
    )


def validate(item: Item, acting_user: Actor, notify: OnValidated | None = None) -> Item:
    """Validate a submitted item, or clear a validated item's change request."""
    require_library(acting_user, f"validate {item.workflow_noun}s")
    current = locked(item)
    if current.workflow_status == WorkflowStatus.VALIDATED and current.change_requested:
        current.change_requested = False
        current.save(update_fields=CHANGE_REQUEST_COLUMNS)
        record_change(
            actor=acting_user,
            action=AuditAction.UPDATE,
            target=current,
            person=current.workflow_person(),
            before={"change_requested": True},
            after={"change_requested": False},
        )
        item.change_requested = False
        return item
    move(
        item,
        [WorkflowStatus.FOR_VALIDATION],
        WorkflowStatus.VALIDATED,
        acting_user,
        validated_at=timezone.now(),
        change_requested=False,
    )
    if notify is not None:
        pk = item.pk
        transaction.on_commit(lambda: notify(pk))
    return item


def return_to_researcher(
    item: Item, comment: str, acting_user: Actor, notify: OnReturned | None = None
) -> Item:
    """Send a submitted or validated item back to its researchers, saying what to correct."""
    require_library(acting_user, f"return {item.workflow_noun}s")
    move(
        item,
        [WorkflowStatus.FOR_VALIDATION, WorkflowStatus.VALIDATED],
        WorkflowStatus.RETURNED,
        acting_user,
        change_requested=False,
    )
    saved = add_comment(item, OutputCommentKind.RETURN, comment, acting_user)
    if notify is not None:
        pk, comment_pk = item.pk, saved.pk
        transaction.on_commit(lambda: notify(pk, comment_pk))
    return item


def withdraw(item: Item, acting_user: Actor) -> Item:
    """Take an item out of the portal: an editor one not yet validated, the Library any."""
    library = is_library(acting_user)
    noun = item.workflow_noun
    if not library and not is_editor(acting_user, item):
        raise NotAllowedError(f"You can only withdraw {noun}s of your own.")
    states = list(RESEARCHER_EDITABLE)
    if library:
        states.append(WorkflowStatus.VALIDATED)
    elif item.workflow_status == WorkflowStatus.VALIDATED:
        raise NotAllowedError(
            f"This {noun} has been validated: ask the Library to withdraw it "
            "with 'Request a change'."
        )
    return move(item, states, WorkflowStatus.WITHDRAWN, acting_user)


def request_change(item: WorkflowItem, comment: str, acting_user: Actor) -> WorkflowComment:
    """An editor asks the Library to change a validated item (only the Library edits it)."""
    noun = item.workflow_noun
    library = acting_user is not None and is_library(acting_user)
    if not library and not is_editor(acting_user, item):
        raise NotAllowedError(f"You can only ask for changes to {noun}s of your own.")
    current = locked(item)
    if current.workflow_status != WorkflowStatus.VALIDATED:
        raise NotAllowedError(
            f"This {noun} is not validated yet: you can change it yourself with 'Edit'."
        )
    saved = add_comment(current, OutputCommentKind.CHANGE_REQUEST, comment, acting_user)
    if not current.change_requested:
        current.change_requested = True
        current.save(update_fields=CHANGE_REQUEST_COLUMNS)
        item.change_requested = True
    return saved


# The actions, for any workflow item (the apps' pages call these; outputs have their own
# names in portal.actions.outputs, with their mails).


@transaction.atomic
def do_submit_for_validation(item: Item, *, acting_user: Actor) -> Item:
    """An editor or the Library hands an item in progress to the Library ("For validation")."""
    return submit(item, acting_user)


@transaction.atomic
def do_validate(item: Item, *, acting_user: Actor, notify: OnValidated | None = None) -> Item:
    """The Library validates a submitted item (or clears a validated item's change request)."""
    return validate(item, acting_user, notify)


@transaction.atomic
def do_validate_many(
    items: Iterable[Item], *, acting_user: Actor, notify: OnValidated | None = None
) -> list[Item]:
    """Validate a selection at once: all of them, or none if one cannot be validated."""
    return [validate(item, acting_user, notify) for item in items]


@transaction.atomic
def do_return_to_researcher(
    item: Item, comment: str, *, acting_user: Actor, notify: OnReturned | None = None
) -> Item:
    """The Library sends an item back to its researchers with a comment ("Returned")."""
    return return_to_researcher(item, comment, acting_user, notify)


@transaction.atomic
def do_withdraw(item: Item, *, acting_user: Actor) -> Item:
    """Take an item out of the portal (an editor before validation, the Library any time)."""
    return withdraw(item, acting_user)


@transaction.atomic
def do_request_change(item: WorkflowItem, comment: str, *, acting_user: Actor) -> WorkflowComment:
    """An editor asks the Library to change a validated item."""
    return request_change(item, comment, acting_user)
