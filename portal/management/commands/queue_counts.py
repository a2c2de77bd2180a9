"""`scholarhub queue-counts [--repair]`: check the validation queue's counts per unit against a
recount of the waiting outputs, and repair them if asked."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.queue_counts import differences, repair


class Command(BaseCommand):
    help = (
        "Compare the validation queue's counts per unit (kept by database triggers) with a "
        "recount of the waiting outputs; --repair replaces them with the recount."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--repair", action="store_true", help="replace wrong counts with the recount"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["repair"]:
            wrong = repair()
            self.stdout.write(
                f"Repaired the counts of {wrong} unit{'s' if wrong != 1 else ''}."
                if wrong
                else "The counts per unit match the waiting outputs; nothing to repair."
            )
            return
        found = differences()
        if not found:
            self.stdout.write("The counts per unit match the waiting outputs.")
            return
        for key, (held, expected) in found.items():
            unit = f"unit {key}" if key else "no managing unit"
            self.stdout.write(f"{unit}: stored {_show(held)}, recounted {_show(expected)}")
        raise CommandError(
            f"The counts of {len(found)} unit{'s' if len(found) != 1 else ''} differ from the "
            "waiting outputs; run `scholarhub queue-counts --repair`."
        )


def _show(count: Any) -> str:
    if count is None:
        return "none"
    return f"{count.managed} managed / {count.in_unit} in the unit"
