"""The background task of a large BibTeX or RIS import (a `db_worker` runs it)."""

from __future__ import annotations

from django_tasks import task

from portal.importers.service import run_batch


@task()
def import_batch_task(batch_id: int) -> str:
    return run_batch(batch_id).outcome
