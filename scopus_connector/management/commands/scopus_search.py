"""`scholarhub scopus-search`: publications under verified Scopus Author IDs (a recorded job)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from scholarhub.jobs import run_now


class Command(BaseCommand):
    help = "Search Scopus for every verified Scopus Author ID; new documents become candidates."

    def handle(self, *args: Any, **options: Any) -> None:
        job_run = run_now("scopus-search")
        if job_run is None:
            raise CommandError("A Scopus search is already under way.")
        if job_run.failed:
            raise CommandError(job_run.outcome)
        self.stdout.write(f"Scopus search: {job_run.outcome}")
