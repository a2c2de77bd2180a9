"""Serve one service, or all three, with gunicorn on loopback."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scholarhub.services import SERVICES, SERVICES_BY_NAME, start_service, stop_all


class Command(BaseCommand):
    help = "Serve the portal, the ORCID sandbox and/or the Scopus sandbox (default: all three)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "services", nargs="*", help="portal, orcid, scopus (default: all three)"
        )
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)

    def handle(self, *args: Any, **options: Any) -> None:
        names = options["services"] or [service.name for service in SERVICES]
        unknown = [name for name in names if name not in SERVICES_BY_NAME]
        if unknown:
            raise CommandError(
                f"unknown service {', '.join(unknown)}: choose from portal, orcid, scopus"
            )
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be at least 1")
        processes = [
            start_service(
                SERVICES_BY_NAME[name],
                SERVICES_BY_NAME[name].default_port,
                environment={},
                workers=options["workers"],
                threads=options["threads"],
            )
            for name in names
        ]
        for name in names:
            service = SERVICES_BY_NAME[name]
            self.stdout.write(f"{service.title}: http://127.0.0.1:{service.default_port}/")
        try:
            while all(process.poll() is None for process in processes):
                time.sleep(1)
        except KeyboardInterrupt:
            self.stdout.write("Stopping.")
        finally:
            stop_all(processes)
