"""The registry's own database: its transactions must name it, or they guard the portal's."""

from __future__ import annotations

from django.db import router, transaction
from django.db.transaction import Atomic

from orcid_sandbox.models import Account


def registry_atomic() -> Atomic:
    """A transaction (or savepoint) on the database that holds the registry's tables."""
    return transaction.atomic(using=router.db_for_write(Account))
