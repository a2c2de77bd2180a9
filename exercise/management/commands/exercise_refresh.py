"""`scholarhub exercise-refresh`: check where every current researcher stands (nightly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from exercise.status import refresh


class Command(BaseCommand):
    help = "Check Part 1 and Part 2 of the ORCID exercise for every current researcher."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = refresh()
        self.stdout.write(
            f"ORCID exercise: {summary.persons} researcher(s); Part 1 complete "
            f"{summary.part1_complete}, Part 2 complete {summary.part2_complete}, "
            f"could not check {summary.not_checked}"
        )
