"""The base of the management commands that run one registered job."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jobs.runs import JobError, run_now


class JobCommand(BaseCommand):
    """A management command that runs one registered job, recorded like any other run."""

    job = ""
    label = ""

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            job_run = run_now(self.job)
        except JobError as refusal:
            raise CommandError(str(refusal)) from refusal
        if job_run.failed:
            raise CommandError(job_run.outcome)
        self.stdout.write(f"{self.label}: {job_run.outcome}")
