"""The public profile's cache: the part of the page that is the same for every reader, kept
until something shown on it changes.

Every change that can alter a profile page moves that person's generation (or everyone's), and
the generation is part of the cache key, so a changed page is never served from the cache; the
old entries simply age out. Generations live in the shared cache (files under var/cache by
default), so every web process sees a change at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from portal.models import (
    Contributor,
    NameVariant,
    OrgUnit,
    OutputIdentifier,
    Person,
    PersonIdentifier,
    PersonLink,
    Position,
    ResearchOutput,
)

EVERYONE = "profile-generation:everyone"
# The Library's "For validation" pages: moved by any output, contributor or account saved or
# deleted (and by everything that moves EVERYONE). The counts per unit are not cached: the
# database keeps them exact (portal.queue_counts), and reading them is one small query.
QUEUE = "validation-queue-generation"
# The graphs of relations: ANY moves with every change reported here (a unit's or an output's
# graph may show any of them); PEOPLE with every person saved, since a person's graph labels
# and links their co-authors by their names and slugs.
ANY = "graph-generation:any"
PEOPLE = "graph-generation:people"
# The public lists of the registered content types (portal.content): each type's own generation
# (moved by its items' and persons' changes, see portal.content._watch), and LISTS, moved by
# what any list row or filter shows of the portal's own records: a person's name and slug, a
# unit's name and its sub-units, and positions (a unit's items are its members').
LISTS = "content-list-generation:shared"
# The search page across every type: moved by every change reported here and by every
# registered type's change.
SEARCH = "search-generation"


def _person_key(person_id: int) -> str:
    return f"profile-generation:{person_id}"


def _generation(key: str) -> int:
    value = cache.get(key)
    return value if isinstance(value, int) else 0


def profile_generation(person_id: int) -> str:
    """What the cache key of a person's page includes: it moves whenever the page may change."""
    return f"{_generation(EVERYONE)}.{_generation(_person_key(person_id))}"


def queue_generation() -> str:
    """What the cache keys of the validation queue's pages include."""
    return f"{_generation(EVERYONE)}.{_generation(QUEUE)}"


def graph_generation(person_id: int | None = None) -> str:
    """What the cache key of a graph of relations includes: a person's (their profile's
    generation and the people's), or any other graph's (every change moves it)."""
    if person_id is not None:
        return f"{profile_generation(person_id)}.{_generation(PEOPLE)}"
    return f"{_generation(EVERYONE)}.{_generation(ANY)}"


def _content_list_key(type_key: str) -> str:
    return f"content-list-generation:{type_key}"


def content_list_generation(type_key: str) -> str:
    """What the cache key of a content type's public list includes. The day is part of it: a
    type may show items from a date on (a thesis once awarded), so no list outlives its day."""
    return (
        f"{_generation(EVERYONE)}.{_generation(LISTS)}."
        f"{_generation(_content_list_key(type_key))}.{timezone.localdate().isoformat()}"
    )


def search_generation() -> str:
    """What the cache key of the search page's results includes (and the day, as above)."""
    return f"{_generation(EVERYONE)}.{_generation(SEARCH)}.{timezone.localdate().isoformat()}"


def forget_content_list(type_key: str) -> None:
    """An item of this type (or one of its persons) changed: its list and the search page."""
    _bump_now_and_after_commit({_content_list_key(type_key), SEARCH})


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not there yet (or evicted): any new value differs from the cached keys
        cache.set(key, _generation(key) + 1, None)


def _bump_now_and_after_commit(keys: set[str]) -> None:
    """Move the generations at once (this transaction's own reads see the change) and again
    when the change commits: a reader in between may have cached the old page under the first
    new generation, and the second move leaves that entry behind."""

    def bump_all() -> None:
        for key in keys:
            _bump(key)

    if keys:
        bump_all()
        transaction.on_commit(bump_all)


def forget_profiles(person_ids: Iterable[int | None]) -> None:
    """The pages of these persons changed."""
    _bump_now_and_after_commit(
        {_person_key(person_id) for person_id in person_ids if person_id is not None} | {ANY}
    )


def forget_every_profile() -> None:
    """Something every page may show changed (a unit renamed, a bulk import)."""
    _bump_now_and_after_commit({EVERYONE})


def _authors_of(output_id: int) -> list[int | None]:
    return list(
        Contributor.objects.filter(output_id=output_id, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )


def _changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    _bump_now_and_after_commit({ANY, SEARCH})
    if isinstance(instance, Person | Position | OrgUnit):
        _bump_now_and_after_commit({LISTS})
    if isinstance(instance, Person):
        forget_profiles([instance.pk])
        _bump_now_and_after_commit({PEOPLE})
    elif isinstance(instance, PersonIdentifier | PersonLink | Position | NameVariant):
        forget_profiles([instance.person_id])
    elif isinstance(instance, ResearchOutput):
        forget_profiles(_authors_of(instance.pk))
        _bump_now_and_after_commit({QUEUE})
    elif isinstance(instance, Contributor):
        # A co-author's name is printed on every author's page.
        forget_profiles([instance.person_id, *_authors_of(instance.output_id)])
        _bump_now_and_after_commit({QUEUE})
    elif isinstance(instance, OutputIdentifier):
        forget_profiles(_authors_of(instance.output_id))
    elif isinstance(instance, OrgUnit):
        forget_every_profile()


WATCHED = (
    Person,
    PersonIdentifier,
    PersonLink,
    Position,
    NameVariant,
    ResearchOutput,
    Contributor,
    OutputIdentifier,
    OrgUnit,
)


def _account_changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    """The queue shows who submitted each output; a sign-in (last_login alone) changes none."""
    update_fields = kwargs.get("update_fields")
    if update_fields is None or set(update_fields) != {"last_login"}:
        _bump_now_and_after_commit({QUEUE})


def connect() -> None:
    """Listen to every change a profile page can show (called once, at start)."""
    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"profile-cache-{model.__name__}")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"profile-cache-{model.__name__}-delete"
        )
    user_model = get_user_model()
    post_save.connect(_account_changed, sender=user_model, dispatch_uid="queue-cache-account")
    post_delete.connect(
        _account_changed, sender=user_model, dispatch_uid="queue-cache-account-delete"
    )
