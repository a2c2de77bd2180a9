"""Content the Library validates besides research outputs (projects, datasets, student theses):
what the three types share, so each app only declares its model, its form and its labels.

An app builds a `ValidatedKind` and, in its `AppConfig.ready()`, calls `register(kind)` (which
registers `kind.content_type()` with `portal.content`, and the kind for the Library's daily
digest); its URLconf is
`portal.views.validated.urls_for(kind)`. The shared parts: abstract models
(`portal.models.validated`, `portal.models.workflow`), actions (`portal.actions.validated` for
entry, `portal.actions.workflow` for the workflow, the same as research outputs'), forms
(`portal.validated_forms`), views and templates (`portal.views.validated`, `portal/validated/`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet

from portal import content
from portal.choices import WorkflowStatus
from portal.content import ContentType
from portal.models.validated import ValidatedItem

if TYPE_CHECKING:
    from portal.validated_forms import ValidatedItemForm


@dataclass(frozen=True)
class ValidatedKind:
    """One type of validated content: model, form, labels and where it lives.

    `key` is the app's label and URL namespace; `path` the first part of its addresses
    (`/<path>/` public, `/backend/<path>/` the researcher's, `/library/<path>/` the queue).
    `people_label` names the persons ("Participants", "Creators", "Supervisors");
    `external_people` says whether persons outside the portal may be named.
    """

    key: str
    label: str
    singular: str
    plural: str
    path: str
    model: type[ValidatedItem]
    form: type[ValidatedItemForm]
    people_label: str = "Persons"
    external_people: bool = True
    search_fields: tuple[str, ...] = ("title",)
    # The unit lookup from an item (besides its persons' positions), e.g. "units".
    unit_lookup: str = "people__person__positions__org_unit"
    prefetch: tuple[str | Prefetch[Any], ...] = ()
    select: tuple[str, ...] = ()

    def with_details(self, items: QuerySet[Any]) -> QuerySet[Any]:
        """Items with what a list entry or the detail page shows: persons in order."""
        people = self.model.people_model()
        return items.select_related("owner", *self.select).prefetch_related(
            Prefetch(
                "people",
                queryset=people._default_manager.select_related("person").order_by(
                    "position", "id"
                ),
            ),
            *self.prefetch,
        )

    def public_items(self, now: datetime | None = None) -> QuerySet[Any]:
        """What the public portal shows (validated, and what the type adds), at `now` (the
        current time unless given)."""
        condition = self.model.public_condition(now)
        return self.with_details(self.model._default_manager.filter(condition))

    def items_of(self, person_id: int) -> QuerySet[Any]:
        """A researcher's items in every state but withdrawn: those they own or are named on."""
        model = self.model
        item_field = "item"  # the people model's foreign key to its item (a subclass's field)
        named = model.people_model()._default_manager.filter(person_id=person_id)
        items = model._default_manager.filter(
            Q(owner_id=person_id) | Q(pk__in=named.values(item_field))
        ).exclude(workflow_status=WorkflowStatus.WITHDRAWN)
        return self.with_details(items).order_by("-updated_at", "-id")

    def queue(self) -> QuerySet[Any]:
        """The Library's queue: submitted items, oldest first."""
        items = self.model._default_manager.filter(workflow_status=WorkflowStatus.FOR_VALIDATION)
        return self.with_details(items).order_by("submitted_at", "id")

    def content_type(self) -> ContentType:
        """The registration that puts this type in the portal's menu, search and sections."""
        people_model = self.model.people_model()

        def persons_of_item(item: ValidatedItem) -> Iterable[int | None]:
            rows = people_model.rows_of(item)
            return [item.owner_id, *rows.values_list("person_id", flat=True)]

        def persons_of_row(row: Any) -> Iterable[int | None]:
            return [row.person_id]

        return ContentType(
            key=self.key,
            label=self.label,
            singular=self.singular,
            plural=self.plural,
            list_url=f"{self.key}:list",
            public_items=self.public_items,
            person_lookup="people__person",
            unit_lookup=self.unit_lookup,
            search_fields=self.search_fields,
            item_template="portal/validated/_item.html",
            my_items_url=f"{self.key}:mine",
            watch=((self.model, persons_of_item), (people_model, persons_of_row)),
            validation_url=f"{self.key}:queue",
            validation_count=lambda: self.model._default_manager.filter(
                workflow_status=WorkflowStatus.FOR_VALIDATION
            ).count(),
        )


_kinds: dict[str, ValidatedKind] = {}


def register(kind: ValidatedKind) -> None:
    """Add a type (from its app's `ready()`): to the portal's menu, search and sections, and to
    what the Library's digest counts. Registering it again changes nothing."""
    content.register(kind.content_type())
    _kinds[kind.key] = kind


def registered_kinds() -> list[ValidatedKind]:
    """The registered types, in the seed's menu order (a type `portal.content` no longer
    lists, as tests do without an app, is left out)."""
    kinds = [kind for kind in _kinds.values() if content.get(kind.key) is not None]
    return sorted(kinds, key=lambda kind: content.SEED_MENU.index(kind.label))
