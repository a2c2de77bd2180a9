"""Content researchers publish directly (activities, prizes, impact, press): what the four
types share, so each app only declares its model, its form and its labels.

An app builds an `OwnedKind` and, in its `AppConfig.ready()`, registers `kind.content_type()`
with `portal.content`; its URLconf is `portal.views.owned.urls_for(kind)`. The shared parts:
abstract models (`portal.models.owned`), actions (`portal.actions.owned`), forms
(`portal.owned_forms`), views and templates (`portal.views.owned`, `portal/owned/`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet

from portal.choices import OwnedItemStatus
from portal.content import ContentType
from portal.models.owned import ItemPerson, OwnedItem, people_model_of

if TYPE_CHECKING:
    from portal.owned_forms import OwnedItemForm


@dataclass(frozen=True)
class OwnedKind:
    """One type of directly published content: model, form, labels and where it lives.

    `key` is the app's label and URL namespace; `path` the first part of its addresses
    (`/<path>/` public, `/backend/<path>/` the owner's). `people_label` names the persons
    ("Recipients" for prizes) and `roles` says whether each has a role.
    """

    key: str
    label: str
    singular: str
    plural: str
    path: str
    model: type[OwnedItem]
    form: type[OwnedItemForm]
    people_label: str = "Persons"
    roles: bool = True
    search_fields: tuple[str, ...] = ("title",)
    prefetch: tuple[str | Prefetch[Any], ...] = ()

    @property
    def people_model(self) -> type[ItemPerson]:
        return people_model_of(self.model)

    def with_details(self, items: QuerySet[Any]) -> QuerySet[Any]:
        """Items with what a list entry or the detail page shows: persons in order."""
        return items.select_related("owner").prefetch_related(
            Prefetch(
                "people",
                queryset=self.people_model._default_manager.select_related("person").order_by(
                    "position", "id"
                ),
            ),
            *self.prefetch,
        )

    def public_items(self) -> QuerySet[Any]:
        """What the public portal shows: the items their owners made public."""
        return self.with_details(self.model._default_manager.filter(status=OwnedItemStatus.PUBLIC))

    def items_owned_by(self, person_id: int) -> QuerySet[Any]:
        """An owner's items, drafts included, for their backend list."""
        return self.with_details(self.model._default_manager.filter(owner_id=person_id))

    def content_type(self) -> ContentType:
        """The registration that puts this type in the portal's menu, search and sections."""
        people_model = self.people_model

        def persons_of_item(item: OwnedItem) -> Iterable[int | None]:
            rows = people_model.rows_of(item)
            return list(rows.values_list("person_id", flat=True))

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
            unit_lookup="people__person__positions__org_unit",
            search_fields=self.search_fields,
            item_template="portal/owned/_item.html",
            my_items_url=f"{self.key}:mine",
            watch=((self.model, persons_of_item), (people_model, persons_of_row)),
        )
