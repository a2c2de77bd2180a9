"""The Django admin for the portal: a read-only window on the data for administrators.

Every change must go through portal.actions so it is permission-checked and audited; the admin
would save models directly, so it only lets administrators look. Researchers edit in the backend
("Edit profile") and the Library curates in its console.
"""

from __future__ import annotations

from typing import TypeVar

from django.contrib import admin
from django.db import models
from django.db.models import Model
from django.http import HttpRequest

from portal.models import (
    AuditEntry,
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


class ReadOnlyMixin:
    """Viewing only: writes belong to the actions, which audit them."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


_Child = TypeVar("_Child", bound=Model)
_Parent = TypeVar("_Parent", bound=Model)


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline[_Child, _Parent]):
    """An inline list of related rows, shown but never edited."""

    extra = 0
    can_delete = False
    show_change_link = False


class PositionInline(ReadOnlyInline[Position, Person]):
    model = Position
    fields = ("org_unit", "role", "start_date", "end_date", "is_primary")


class NameVariantInline(ReadOnlyInline[NameVariant, Person]):
    model = NameVariant
    fields = ("family_name", "given_names")


class PersonLinkInline(ReadOnlyInline[PersonLink, Person]):
    model = PersonLink
    fields = ("link_type", "url", "label")
    # The form is only rendered read-only; this keeps Django 6's URL default without a warning.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class PersonIdentifierInline(ReadOnlyInline[PersonIdentifier, Person]):
    model = PersonIdentifier
    fields = ("id_type", "value", "status", "status_changed_by", "status_changed_at", "evidence")


@admin.register(Person)
class PersonAdmin(ReadOnlyMixin, admin.ModelAdmin[Person]):
    list_display = ("display_name", "staff_id", "status", "email")
    list_filter = ("status",)
    search_fields = ("staff_id", "family_name", "given_names", "known_as", "native_name", "email")
    inlines = (PositionInline, NameVariantInline, PersonLinkInline, PersonIdentifierInline)
    list_select_related = ("user",)
    show_full_result_count = False  # a COUNT(*) over 50,000 persons on every search is waste


@admin.register(OrgUnit)
class OrgUnitAdmin(ReadOnlyMixin, admin.ModelAdmin[OrgUnit]):
    list_display = ("name", "short_name", "unit_type", "parent")
    list_filter = ("unit_type",)
    search_fields = ("name", "short_name")
    list_select_related = ("parent",)


@admin.register(PersonIdentifier)
class PersonIdentifierAdmin(ReadOnlyMixin, admin.ModelAdmin[PersonIdentifier]):
    list_display = ("value", "id_type", "status", "person", "status_changed_at")
    list_filter = ("id_type", "status")
    search_fields = ("value", "person__family_name", "person__staff_id")
    list_select_related = ("person",)
    show_full_result_count = False


class ContributorInline(ReadOnlyInline[Contributor, ResearchOutput]):
    model = Contributor
    fields = ("position", "person", "family_name", "given_names", "external_affiliation")
    ordering = ("position",)


class OutputIdentifierInline(ReadOnlyInline[OutputIdentifier, ResearchOutput]):
    model = OutputIdentifier
    fields = ("id_type", "value")


@admin.register(ResearchOutput)
class ResearchOutputAdmin(ReadOnlyMixin, admin.ModelAdmin[ResearchOutput]):
    list_display = ("title", "publication_year", "output_type", "workflow_status", "visibility")
    list_filter = ("workflow_status", "visibility", "output_type", "source")
    search_fields = ("title",)
    inlines = (ContributorInline, OutputIdentifierInline)
    show_full_result_count = False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyMixin, admin.ModelAdmin[AuditEntry]):
    list_display = ("created_at", "actor_label", "action", "target_type", "target_label")
    list_filter = ("action", "target_type")
    search_fields = ("actor_label", "target_label", "target_id")
    date_hierarchy = "created_at"
    show_full_result_count = False
