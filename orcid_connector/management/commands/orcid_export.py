"""`scholarhub orcid-export`: the daily ORCID export, or only the researchers given."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db.models import Q

from jobs.commands import JobCommand
from orcid_connector.export import run_export
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
        run = run_export(trigger="command", persons=persons).run
        self.stdout.write(
            f"ORCID export: {run.persons} record(s), {run.calls} call(s): "
            f"{run.created} created, {run.updated} updated, {run.deleted} deleted, "
            f"{run.unchanged} unchanged, {run.failed} failed"
        )
