"""Abstract models of the Library's validation workflow, shared by every type it validates
(research outputs here; projects, datasets and student theses in the apps built on the portal).

Entry in progress --submit--> For validation --validate--> Validated; the Library may return an
item (submitted or validated) to the researcher with a comment (Returned); withdrawn items
leave the portal. A subclass keeps these columns under these names (no table of its own), and
says who may edit it (`is_editor`), whose profile an audit entry belongs to (`workflow_person`)
and which comment model it uses (`comment_model`). The actions are `portal.actions.workflow`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models

from portal.choices import OutputCommentKind, WorkflowStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from portal.models.persons import Person


class WorkflowItem(models.Model):
    """The workflow's columns: the state, who submitted it and when, when it was validated,
    and whether the researcher asked the Library to change it after validation."""

    # How messages name one item ("output", "project" ...).
    workflow_noun: ClassVar[str] = "item"

    workflow_status = models.CharField(
        max_length=20, choices=WorkflowStatus.choices, default=WorkflowStatus.ENTRY_IN_PROGRESS
    )
    # Who handed it to the Library and when: the validation queue's submitter filter and age.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    # A researcher asked the Library to change a validated item (the comment says what).
    change_requested = models.BooleanField(default=False, db_default=False)

    class Meta:
        abstract = True

    def is_editor(self, user: User | AnonymousUser) -> bool:
        """Whether the (authenticated, non-Library) user is one of the item's researchers."""
        raise NotImplementedError

    def workflow_person(self) -> Person | None:
        """The person whose audit trail a workflow change belongs to."""
        raise NotImplementedError

    @classmethod
    def comment_model(cls) -> type[WorkflowComment]:
        raise NotImplementedError

    @property
    def workflow_label(self) -> str:
        return WorkflowStatus(self.workflow_status).label


class WorkflowComment(models.Model):
    """A comment on an item's workflow: the Library's reason to return it, a change request.

    A subclass adds the foreign key to its item and names it in `ITEM_FIELD`.
    """

    ITEM_FIELD: ClassVar[str] = "item"

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=OutputCommentKind.choices)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"

    @classmethod
    def for_item(cls, item: models.Model, **fields: Any) -> WorkflowComment:
        """A new (unsaved) comment on an item."""
        return cls(**{cls.ITEM_FIELD: item}, **fields)
