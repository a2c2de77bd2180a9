"""`scholarhub orcid-export`: the nightly ORCID export, the weekly full run on demand (--full),
or only the researchers given; a progress bar on stderr while it runs."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db.models import Q
from django.utils import timezone

from jobs.commands import JobCommand
from orcid_connector.choices import ExportTrigger
from orcid_connector.export import run_export
from orcid_connector.jobs import asked
from orcid_connector.models import ExportRun
from portal.models import Person

BAR_WIDTH = 30


def progress_bar(run: ExportRun, width: int = BAR_WIDTH) -> str:
    """`[#######.......]  25 % 1 of 4 record(s), 9 call(s); projected end 02:41:07`."""
    share = run.records_done / run.records_total if run.records_total else 1.0
    filled = min(width, round(share * width))
    return f"[{'#' * filled}{'.' * (width - filled)}] {share:4.0%} {run.progress(timezone.now())}"


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
        parser.add_argument(
            "--full",
            action="store_true",
            help=(
                "the weekly full run now, whatever the day: every connected record compared "
                "item by item, and its sections read to write again what was deleted on ORCID "
                "(default: only the records the portal's changes marked)"
            ),
        )

    job = "orcid-export"
    label = "ORCID export"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if not options["person"]:
                with asked(full=options["full"], progress=self.show_progress):
                    super().handle(*args, **options)
                return
            self.export_persons(options["person"], repair=options["full"])
        finally:
            self.stderr.write("")  # end the progress bar's line

    def export_persons(self, given: list[str], *, repair: bool) -> None:
        wanted = [value.strip()[:100] for value in given]
        persons = list(Person.objects.filter(Q(staff_id__in=wanted) | Q(slug__in=wanted)))
        found = {p.staff_id for p in persons} | {p.slug for p in persons}
        missing = [value for value in wanted if value not in found]
        if missing:
            raise CommandError(f"No researcher with EID or profile slug: {', '.join(missing)}")
        result = run_export(
            trigger=ExportTrigger.COMMAND,
            persons=persons,
            progress=self.show_progress,
            repair=repair,
        )
        self.stdout.write(f"ORCID export: {result.run.summary}")
        # Why a record stopped or an item failed, and until when a lease holds it.
        for problem in result.problems():
            self.stdout.write(f"  {problem}")

    def show_progress(self, run: ExportRun) -> None:
        """Records done of all as a bar, calls and the projected end, on one refreshed line of
        stderr."""
        self.stderr.write(f"\r{progress_bar(run)}", ending="")
