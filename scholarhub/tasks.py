"""The django-tasks task through which queued jobs reach a worker."""

from __future__ import annotations

from django_tasks import task

from scholarhub import jobs


@task()
def run_job(run_id: int) -> str:
    return jobs.run(run_id).outcome
