"""The django-tasks task through which queued job runs reach a worker."""

from __future__ import annotations

from django_tasks import task

from jobs import runs


@task()
def run_job(run_id: int) -> str:
    """Run one queued job run in the worker."""
    return runs.run(run_id).outcome
