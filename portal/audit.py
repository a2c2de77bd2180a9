"""Writing the audit log: every action calls record_change in its own transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.db import models

from portal.choices import AuditAction
from portal.models import AuditEntry, Person
from portal.signals import change_recorded

Actor = User | AnonymousUser | None
_M = TypeVar("_M", bound=models.Model)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The audited fields of an instance as JSON-safe values."""
    values: dict[str, Any] = {}
    for name in fields:
        value = getattr(instance, name)
        if isinstance(value, models.Model):
            value = value.pk
        values[name] = value if isinstance(value, str | int | float | bool | None) else str(value)
    return values


def acting_account(actor: Actor) -> User | None:
    """The account behind an actor, or None for anonymous users, jobs and commands."""
    return actor if isinstance(actor, User) else None


def actor_label(actor: Actor) -> str:
    """How the log names whoever acted: the username, or the system for jobs and commands."""
    account = acting_account(actor)
    return account.get_username() if account is not None else "system"


def record_change(
    *,
    actor: Actor,
    action: AuditAction,
    target: models.Model,
    person: Person | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the audit log, and tell the apps built on the portal (in the
    action's transaction: what they do with it commits or rolls back with the change)."""
    entry = AuditEntry.objects.create(
        actor=acting_account(actor),
        actor_label=actor_label(actor),
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:255],
        person=person,
        before=before or {},
        after=after or {},
    )
    change_recorded.send(
        sender=type(target),
        target=target,
        person=person,
        action=action,
        before=entry.before,
        after=entry.after,
    )
    return entry


@contextmanager
def audited_update(
    instance: _M, fields: Sequence[str], *, actor: Actor, person: Person | None
) -> Iterator[_M]:
    """Record the change the block makes to `instance` (which the block saves) as one UPDATE
    entry with the audited `fields` before and after. A block that raises records nothing,
    and the action's transaction rolls its change back with it.

        with audited_update(campaign, CAMPAIGN_FIELDS, actor=acting_user, person=None):
            campaign.active = False
            campaign.save(update_fields=["active"])
    """
    before = snapshot(instance, fields)
    yield instance
    record_change(
        actor=actor,
        action=AuditAction.UPDATE,
        target=instance,
        person=person,
        before=before,
        after=snapshot(instance, fields),
    )
