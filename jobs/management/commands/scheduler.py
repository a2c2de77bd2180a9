"""`scholarhub scheduler`: queue the periodic jobs when they are due (a worker runs them)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from jobs.runs import enqueue_due

TICK_SECONDS = 30


class Command(BaseCommand):
    help = "Queue the registered jobs when they are due, checking every 30 seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="check once and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            for name in enqueue_due():
                self.stdout.write(f"queued {name}")
            if options["once"]:
                return
            time.sleep(TICK_SECONDS)
            # A process that runs for days: drop connections the database closed meanwhile.
            close_old_connections()
