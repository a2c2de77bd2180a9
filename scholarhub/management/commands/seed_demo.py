"""Build the demo university in the portal and hand its exercise cast to the sandboxes."""

from __future__ import annotations

import importlib
import json
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.demo import (
    CAST_SIZE,
    CHRIS_OUTPUTS,
    DEFAULT_OUTPUTS,
    DEFAULT_PERSONS,
    DEMO_BIBTEX,
    DemoUniversity,
    portal_is_empty,
    wipe_portal,
)

MAX_PERSONS = 200_000
MAX_OUTPUTS = 5_000_000
SANDBOX_COMMANDS = ("orcid_sandbox", "scopus_sandbox")
# Apps built on the portal whose `demo` module adds their content (build_demo, wipe_demo), in
# the order they are built; an app that is not installed is skipped.
CONTENT_DEMOS = (
    "projects",
    "datasets",
    "theses",
    "activities",
    "prizes",
    "impacts",
    "press",
)


def content_demos() -> list[ModuleType]:
    return [
        importlib.import_module(f"{app}.demo") for app in CONTENT_DEMOS if apps.is_installed(app)
    ]


def default_cast_path() -> Path:
    return Path(settings.VAR_DIR) / "demo" / "cast.json"


def bounded_int(name: str, low: int, high: int) -> Any:
    """An argparse type that names the option and its range when a value is refused."""

    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise CommandError(f"{name} must be a whole number, not {raw!r}") from None
        if not low <= value <= high:
            raise CommandError(f"{name} must be between {low:,} and {high:,}, not {value:,}")
        return value

    return parse


def hand_over(summary_cast: list[dict[str, Any]]) -> dict[str, Any]:
    """The file the sandboxes seed themselves from: institution, ORCID clients, the cast."""
    return {
        "institution": {
            "name": settings.PORTAL_INSTITUTION_NAME,
            "city": settings.PORTAL_INSTITUTION_CITY,
            "country": settings.PORTAL_INSTITUTION_COUNTRY,
            "afid": settings.PORTAL_INSTITUTION_AFIDS[0],
            "ringgold": settings.PORTAL_INSTITUTION_RINGGOLD,
            "website": settings.PORTAL_INSTITUTION_WEBSITE,
        },
        "clients": [
            {
                "client_id": settings.ORCID_CLIENT_ID,
                "client_secret": settings.ORCID_CLIENT_SECRET,
                "name": settings.PORTAL_SITE_NAME,
                "website": settings.PORTAL_BASE_URL,
                "redirect_uris": [settings.ORCID_REDIRECT_URI],
                "allow_assertion_origin": False,
            },
            {
                "client_id": settings.SCOPUS_SANDBOX_ORCID_CLIENT_ID,
                "client_secret": settings.SCOPUS_SANDBOX_ORCID_CLIENT_SECRET,
                "name": "Scopus - Elsevier",
                "website": settings.SCOPUS_SANDBOX_BASE_URL,
                "redirect_uris": [f"{settings.SCOPUS_SANDBOX_BASE_URL}/orcid/callback"],
                "allow_assertion_origin": True,
            },
        ],
        "researchers": summary_cast,
    }


class Command(BaseCommand):
    help = (
        "Build the demo university (units, researchers, research outputs, demo logins) and "
        "seed the ORCID and Scopus sandboxes with the exercise's cast."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--persons",
            type=bounded_int("--persons", 1, MAX_PERSONS),
            default=DEFAULT_PERSONS,
            help=f"researchers to create (default {DEFAULT_PERSONS})",
        )
        parser.add_argument(
            "--outputs",
            type=bounded_int("--outputs", len(CHRIS_OUTPUTS), MAX_OUTPUTS),
            default=DEFAULT_OUTPUTS,
            help=f"research outputs to create (default {DEFAULT_OUTPUTS})",
        )
        parser.add_argument(
            "--seed",
            type=bounded_int("--seed", 0, 2**31),
            default=2006,
            help="random seed; the same seed builds the same university",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete the portal's existing records and accounts first",
        )
        parser.add_argument(
            "--portal-only", action="store_true", help="do not seed the ORCID and Scopus sandboxes"
        )
        parser.add_argument(
            "--cast-file",
            type=Path,
            default=None,
            help="where to write the hand-over file (default var/demo/cast.json)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cast_path: Path = options["cast_file"] or default_cast_path()
        if options["reset"]:
            for demo in reversed(content_demos()):
                demo.wipe_demo()
            wipe_portal()
        if not portal_is_empty():
            self.stdout.write(
                "The portal already holds data; nothing changed (use --reset to rebuild)."
            )
            return
        started = time.monotonic()
        summary = DemoUniversity(
            options["persons"], options["outputs"], seed=options["seed"]
        ).build()
        self.stdout.write(
            f"Portal: {summary.persons:,} researchers, {summary.outputs:,} research outputs, "
            f"{summary.contributors:,} contributors in {time.monotonic() - started:.1f} s"
        )
        for demo in content_demos():
            built = demo.build_demo(options["persons"], options["outputs"], options["seed"])
            self.stdout.write(f"Portal: {built:,} demo items from {demo.__name__}")
        cast_path.parent.mkdir(parents=True, exist_ok=True)
        cast_path.write_text(
            json.dumps(hand_over(summary.cast), ensure_ascii=False, indent=2), encoding="utf-8"
        )
        self.stdout.write(
            f"Cast of {min(CAST_SIZE, summary.persons)} researchers written to {cast_path}"
        )
        bibtex_path = cast_path.parent / "chris-wong.bib"
        bibtex_path.write_text(DEMO_BIBTEX, encoding="utf-8")
        self.stdout.write(f"A BibTeX file to import as Chris: {bibtex_path}")
        if options["portal_only"]:
            return
        available = get_commands()
        for command in SANDBOX_COMMANDS:
            if command in available:
                call_command(command, "seed-demo", "--cast", str(cast_path), stdout=self.stdout)
            else:
                self.stdout.write(f"({command.replace('_', '-')} is not installed: not seeded)")
