"""`scholarhub orcid-export`: the daily ORCID export, or only the researchers given."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db.models import Q
from django.utils import timezone

from jobs.commands import JobCommand
from orcid_connector.choices import ExportTrigger
from orcid_connector.export import run_export
from orcid_connector.models import ExportRun
from portal.models import Person


class Command(JobCommand):
    help = "Push validated, public, published outputs and verified IDs to connected ORCID records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--person",
            action="append",
            default=[],
            metavar="EID_OR_SLUG",
            help="only this researcher (repeatable); default: everyone connected",
        )

    job = "orcid-export"
    label = "ORCID export"

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["person"]:
            super().handle(*args, **options)
            return
        wanted = [value.strip()[:100] for value in options["person"]]
        persons = list(Person.objects.filter(Q(staff_id__in=wanted) | Q(slug__in=wanted)))
        found = {p.staff_id for p in persons} | {p.slug for p in persons}
        missing = [value for value in wanted if value not in found]
        if missing:
            raise CommandError(f"No researcher with EID or profile slug: {', '.join(missing)}")
        result = run_export(
            trigger=ExportTrigger.COMMAND, persons=persons, progress=self.show_progress
        )
        self.stdout.write(f"ORCID export: {result.run.summary}")
        # Why a record stopped or an item failed, and until when a lease holds it.
        for problem in result.problems():
            self.stdout.write(f"  {problem}")

    def show_progress(self, run: ExportRun) -> None:
        """Records done of all, calls and the projected end, on one refreshed line of stderr."""
        self.stderr.write(f"\r{run.progress(timezone.now())}", ending="")
