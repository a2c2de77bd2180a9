"""Abstract models of the content a researcher publishes directly, without the Library's
validation (activities, prizes, impact, press): each app subclasses them into its own tables.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.urls import reverse

from portal.choices import OwnedItemStatus
from portal.models.persons import Person


class OwnedItem(models.Model):
    """An item its owner enters and publishes: a title, the owner, draft or public.

    A subclass adds its own fields, a `people` relation (an `ItemPerson` subclass with
    `item = ForeignKey(<subclass>, related_name="people")`), `EDITABLE_FIELDS` (what the owner
    may change through the actions) and `facts()` (what its detail page lists).
    """

    EDITABLE_FIELDS: tuple[str, ...] = ("title", "status")
    # Many-to-many fields the actions set from lists of objects (related outputs, projects).
    RELATION_FIELDS: tuple[str, ...] = ()

    title = models.CharField(max_length=500)
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=10, choices=OwnedItemStatus.choices, default=OwnedItemStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(f"{self._meta.app_label}:detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status == OwnedItemStatus.PUBLIC

    def people_rows(self) -> list[ItemPerson]:
        """The item's persons in order (prefetched by the portal's queries)."""
        return list(getattr(self, PEOPLE).all())

    def facts(self) -> list[tuple[str, str]]:
        """(label, text) pairs the detail page lists under the title; empty values left out."""
        return []

    def related(self) -> list[tuple[str, list[Any]]]:
        """(label, objects) the detail page links to (related outputs, projects ...)."""
        return []

    def summary(self) -> str:
        """The line a list entry shows under the title."""
        return " · ".join(text for _, text in self.facts()[:3])


class ItemPerson(models.Model):
    """A person of an item (speaker, recipient, participant ...), with a role, in order."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.person} ({self.role})" if self.role else str(self.person)

    @classmethod
    def rows_of(cls, item: OwnedItem) -> models.QuerySet[ItemPerson]:
        """The persons of an item, in order (a subclass's `item` field names the item)."""
        return cls._default_manager.filter(**{"item": item}).order_by("position", "id")

    @classmethod
    def row(cls, item: OwnedItem, person: Person, role: str, position: int) -> ItemPerson:
        """A new (unsaved) person row of an item."""
        return cls(**{"item": item}, person=person, role=role, position=position)


PEOPLE = "people"


def people_model_of(model: type[OwnedItem]) -> type[ItemPerson]:
    """The model of an item type's persons (its `people` relation)."""
    related = model._meta.get_field(PEOPLE).related_model
    if not (isinstance(related, type) and issubclass(related, ItemPerson)):
        raise TypeError(f"{model.__name__}.people does not lead to an ItemPerson subclass.")
    return related


def date_text(value: date | None) -> str:
    """A date as the portal prints it: 3 March 2024."""
    return f"{value.day} {value:%B %Y}" if value else ""


def period_text(start: date | None, end: date | None) -> str:
    """A period as the portal prints it; an open end reads "onwards"."""
    if start and end and end != start:
        return f"{date_text(start)} – {date_text(end)}"
    if start and not end:
        return f"{date_text(start)} onwards"
    return date_text(start or end)


def place_text(*parts: str) -> str:
    """An organisation and where it is, skipping what is blank."""
    return ", ".join(part for part in parts if part)
