"""Abstract models of the content the Library validates besides research outputs (projects,
datasets, student theses): each app subclasses them into its own tables.

An item has a title, the researcher who entered it (`owner`), the workflow's columns
(`WorkflowItem`), its persons in order (a `ValidatedPerson` subclass with
`item = ForeignKey(<subclass>, related_name="people")`: internal persons or external names, each
with a role) and its comments (a `WorkflowComment` subclass with `related_name="comments"`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.urls import reverse

from portal.choices import WorkflowStatus
from portal.models.persons import Person
from portal.models.workflow import WorkflowComment, WorkflowItem

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class ValidatedItem(WorkflowItem):
    """An item a researcher enters and the Library validates; public once validated (and
    whatever else `public_condition` adds, e.g. a thesis once awarded).

    A subclass names `EDITABLE_FIELDS` (plain fields the actions write), `RELATION_FIELDS`
    (many-to-many fields set from lists of objects) and `facts()` / `related()` for its page.
    """

    EDITABLE_FIELDS: ClassVar[tuple[str, ...]] = ("title",)
    RELATION_FIELDS: ClassVar[tuple[str, ...]] = ()

    title = models.CharField(max_length=500)
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(f"{self._meta.app_label}:detail", args=[self.pk])

    @classmethod
    def public_condition(cls, now: datetime | None = None) -> models.Q:
        """What the public portal shows: validated items (a subclass may narrow it, e.g. by a
        date, judged at `now`: the current time unless a caller, such as a test, gives one)."""
        return models.Q(workflow_status=WorkflowStatus.VALIDATED)

    @property
    def is_public(self) -> bool:
        return type(self)._default_manager.filter(self.public_condition(), pk=self.pk).exists()

    def is_editor(self, user: User | AnonymousUser) -> bool:
        """The owner, and the internal persons named on the item, are its researchers."""
        if user.pk is None:
            return False
        if self.owner.user_id == user.pk:
            return True
        return bool(self.people_model().rows_of(self).filter(person__user_id=user.pk).exists())

    def workflow_person(self) -> Person | None:
        return self.owner

    @classmethod
    def comment_model(cls) -> type[WorkflowComment]:
        related = cls._meta.get_field("comments").related_model
        if not (isinstance(related, type) and issubclass(related, WorkflowComment)):
            raise TypeError(f"{cls.__name__}.comments does not lead to a WorkflowComment.")
        return related

    @classmethod
    def people_model(cls) -> type[ValidatedPerson]:
        related = cls._meta.get_field("people").related_model
        if not (isinstance(related, type) and issubclass(related, ValidatedPerson)):
            raise TypeError(f"{cls.__name__}.people does not lead to a ValidatedPerson.")
        return related

    def people_rows(self) -> list[ValidatedPerson]:
        """The item's persons in order (prefetched by the lists' queries)."""
        return list(getattr(self, "people").all())  # noqa: B009 (a subclass's relation)

    def facts(self) -> list[tuple[str, str]]:
        """(label, text) pairs the detail page lists under the title; empty values left out."""
        return []

    def related(self) -> list[tuple[str, list[Any]]]:
        """(label, objects) the detail page links to (outputs, projects, datasets ...)."""
        return []

    def summary(self) -> str:
        """The line a list entry shows under the title."""
        return " · ".join(text for _, text in self.facts()[:3])


class ValidatedPerson(models.Model):
    """A person of an item, in order: an internal person (`person`) or an external name with
    an organisation, and a role (principal investigator, creator, supervisor ...)."""

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=255, blank=True)
    role = models.CharField(max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.role})" if self.role else self.display_name

    @classmethod
    def rows_of(cls, item: ValidatedItem) -> models.QuerySet[ValidatedPerson]:
        """The persons of an item, in order (a subclass's `item` field names the item)."""
        return cls._default_manager.filter(**{"item": item}).order_by("position", "id")

    @classmethod
    def of_items(cls, **lookups: Any) -> models.QuerySet[ValidatedPerson]:
        """Person rows by lookups on the `item` field (e.g. `item__owner_id=...`)."""
        return cls._default_manager.filter(**lookups)

    @property
    def display_name(self) -> str:
        if self.person is not None:
            return self.person.display_name
        return f"{self.name} ({self.organisation})" if self.organisation else self.name
