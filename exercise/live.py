"""The exercise's status follows what happens in the portal the moment it happens.

Part 1 is the portal's own knowledge: when an ORCID connection is made, ended or lost, or an
ORCID iD on the profile changes, Part 1 is recomputed at once, without asking anyone. Part 2
needs ORCID and Scopus: when a Scopus Author ID is added or changed, a check of the researcher
is queued for the worker (never run inside the web request). Both happen after the change
commits, so a rolled-back change changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django_tasks import task

from orcid_connector.models import OrcidAuthorization
from portal.choices import PersonIdentifierType
from portal.models import Person, PersonIdentifier


@task()
def check_person_task(person_id: int) -> str:
    """Ask ORCID and Scopus where one researcher stands (queued after a Scopus ID changes)."""
    from exercise.status import assess, record_daily_progress

    person = Person.objects.prefetch_related("identifiers").filter(pk=person_id).first()
    if person is None:
        return "gone"
    status = assess(person)
    record_daily_progress()
    return status.get_part2_state_display()


def _part1_changed(person_id: int) -> None:
    from exercise.status import record_daily_progress, update_part1

    person = Person.objects.prefetch_related("identifiers").filter(pk=person_id).first()
    if person is not None:
        update_part1(person)
        record_daily_progress()


def on_connection_change(sender: type, instance: OrcidAuthorization, **kwargs: Any) -> None:
    person_id = instance.person_id
    transaction.on_commit(lambda: _part1_changed(person_id))


def on_identifier_change(sender: type, instance: PersonIdentifier, **kwargs: Any) -> None:
    person_id = instance.person_id
    if instance.id_type == PersonIdentifierType.ORCID:
        transaction.on_commit(lambda: _part1_changed(person_id))
    elif instance.id_type == PersonIdentifierType.SCOPUS_AUTHOR_ID:
        transaction.on_commit(lambda: check_person_task.enqueue(person_id))


def connect() -> None:
    """Listen to the changes that move a researcher in the exercise (called once, at start)."""
    for model, receiver in (
        (OrcidAuthorization, on_connection_change),
        (PersonIdentifier, on_identifier_change),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=f"exercise-{model.__name__}-save")
        post_delete.connect(
            receiver, sender=model, dispatch_uid=f"exercise-{model.__name__}-delete"
        )
