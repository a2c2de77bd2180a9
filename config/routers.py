"""Keeps each service's tables in its own database alias."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

# The sandboxes stand for other organisations, so their apps live in databases of their own.
# Every other app (the portal and Django's own) lives in "default".
APP_DATABASES = {"orcid_sandbox": "orcid", "scopus_sandbox": "scopus"}


def database_for_app(app_label: str) -> str:
    """The alias that holds an app's tables."""
    return APP_DATABASES.get(app_label, "default")


class ServiceRouter:
    """Routes reads, writes and migrations by app label."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        return database_for_app(model._meta.app_label)

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return database_for_app(model._meta.app_label)

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return database_for_app(obj1._meta.app_label) == database_for_app(obj2._meta.app_label)

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return database_for_app(app_label) == db
