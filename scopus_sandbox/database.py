"""The sandbox's own database: its transactions must name it, or they guard the portal's."""

from __future__ import annotations

from django.db import router, transaction
from django.db.transaction import Atomic

from scopus_sandbox.models import Document


def scopus_alias() -> str:
    """The database alias that holds the sandbox's tables."""
    return router.db_for_write(Document)


def scopus_atomic() -> Atomic:
    """A transaction (or savepoint) on the database that holds the sandbox's tables."""
    return transaction.atomic(using=scopus_alias())
