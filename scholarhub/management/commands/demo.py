"""`scholarhub demo`: migrate, seed the demo university once, serve all three services."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from portal import cv_pdf
from portal.demo import DEMO_PASSWORD, portal_is_empty
from scholarhub.management.commands.seed_demo import default_cast_path
from scholarhub.management.commands.serve import (
    add_server_arguments,
    check_server_options,
    run_services,
)
from scholarhub.processes import SERVICES


class Command(BaseCommand):
    help = (
        "Set up the databases, seed the demo data if they are empty, and serve all three services."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_server_arguments(parser)
        parser.add_argument("--no-serve", action="store_true", help="set up and seed, then stop")

    def handle(self, *args: Any, **options: Any) -> None:
        check_server_options(options)
        call_command("migrate_all", stdout=self.stdout)
        call_command("collectstatic", interactive=False, verbosity=0)
        if portal_is_empty():
            call_command("seed_demo", stdout=self.stdout)
        else:
            self.stdout.write(
                "Demo data already present (run `scholarhub seed-demo --reset` to rebuild)."
            )
        self.stdout.write(self.logins())
        if not cv_pdf.renderer_available():
            self.stdout.write(
                f"Note: 'Download CV' as PDF is off on this machine. {cv_pdf.RENDERER_HINT}"
            )
        if options["no_serve"]:
            return
        run_services(list(SERVICES), options, self.stdout.write)

    def logins(self) -> str:
        lines = [
            "",
            "Demo logins",
            f"  Scholars portal researcher backend: chriswong / {DEMO_PASSWORD}",
            f"  Scholars portal library staff:      library / {DEMO_PASSWORD}",
            "  Chris's public profile:             http://127.0.0.1:8000/persons/chris-wong-demo/",
        ]
        cast_path = default_cast_path()
        try:
            chris = json.loads(cast_path.read_text(encoding="utf-8"))["researchers"][0]
            lines.append(
                f"  ORCID sandbox sign-in:              {chris['email']} (or {chris['orcid']}) / "
                f"{chris['orcid_password']}"
            )
        except (OSError, ValueError, LookupError, TypeError):
            # No or a damaged hand-over file: the portal logins above still hold.
            lines.append(f"  (no readable {cast_path}: run `scholarhub seed-demo --reset`)")
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            lines.append(f"  Mail the portal sends (one file each): {settings.EMAIL_FILE_PATH}/")
        key_file = cast_path.parent / "scopus-api-key.txt"
        if key_file.exists():
            lines.append(f"  Scopus sandbox API key:             {key_file.read_text().strip()}")
        return "\n".join(lines) + "\n"
