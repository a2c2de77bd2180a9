"""`scholarhub exercise-refresh`: check where every current researcher stands (a recorded job)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from scholarhub.jobs import run_now


class Command(BaseCommand):
    help = "Check Part 1 and Part 2 of the ORCID exercise for every current researcher."

    def handle(self, *args: Any, **options: Any) -> None:
        job_run = run_now("exercise-refresh")
        if job_run is None:
            raise CommandError("A check of everyone is already under way.")
        if job_run.failed:
            raise CommandError(job_run.outcome)
        self.stdout.write(f"ORCID exercise: {job_run.outcome}")
