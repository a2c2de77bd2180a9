"""Precision and recall of the portal's Scopus Author ID discovery on the demo corpus.

    .venv/bin/python -m bench.scopus_discovery [--crowd 20000]

Builds the demo university in a temporary folder (portal and both sandboxes on SQLite, the
Scopus sandbox's crowd indexed around the cast by its author disambiguation), serves the Scopus
sandbox with gunicorn on a free port, and runs the discovery for every current researcher of
the portal. The truth is the cast's hand-over file: each cast researcher's Scopus Author ID,
plus Chris WONG's split profile. A suggestion is right when it names one of the researcher's
true profiles; recall counts the true profiles of researchers with at least one validated
output found in Scopus.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import httpx


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--crowd", type=int, default=20_000, help="crowd documents in Scopus")
    args = parser.parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="scholarhub-discovery-"))
    os.environ.update(
        {
            "SCHOLARHUB_DEBUG": "1",
            "SCHOLARHUB_VAR_DIR": str(var_dir),
            "SCOPUS_SANDBOX_DEMO_CROWD": str(args.crowd),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from exercise.discovery import discover
    from portal.choices import PersonStatus
    from portal.models import Person
    from scholarhub.processes import SERVICES_BY_NAME, start_service, stop_all, wait_until_ready
    from scopus_connector.client import ScopusSession
    from scopus_sandbox.demo import CHRIS_SPLIT_ID
    from utilities.ports import free_port

    started = time.perf_counter()
    call_command("migrate_all", verbosity=0)
    call_command("seed_demo", verbosity=0)
    print(f"demo built in {time.perf_counter() - started:.1f} s ({args.crowd:,} crowd documents)")
    cast = json.loads((var_dir / "demo" / "cast.json").read_text(encoding="utf-8"))
    truth: dict[str, set[str]] = {
        researcher["staff_id"]: {researcher["scopus_author_id"]}
        for researcher in cast["researchers"]
        if researcher.get("scopus_author_id")
    }
    truth.setdefault("chriswong", set()).add(CHRIS_SPLIT_ID)

    port = free_port()
    server = start_service(SERVICES_BY_NAME["scopus"], port, environment={}, workers=2)
    try:
        wait_until_ready(server, f"http://127.0.0.1:{port}/")
        settings.SCOPUS_API_URL = f"http://127.0.0.1:{port}/content"
        right = wrong = found_true = missed = researchers = with_documents = 0
        searches: list[str] = []

        class Counting(httpx.HTTPTransport):
            def handle_request(self, request: httpx.Request) -> httpx.Response:
                searches.append(str(request.url))
                return super().handle_request(request)

        started = time.perf_counter()
        with ScopusSession.from_settings(transport=Counting()) as scopus:
            for person in Person.objects.filter(status=PersonStatus.CURRENT).prefetch_related(
                "name_variants"
            ):
                result = discover(person, scopus=scopus)
                researchers += 1
                if not result.found:
                    continue
                with_documents += 1
                suggested = {author_id for author_id, _ in result.profiles}
                expected = truth.get(person.staff_id, set())
                right += len(suggested & expected)
                wrong += len(suggested - expected)
                found_true += len(expected & suggested)
                missed += len(expected - suggested)
                if suggested != expected:
                    print(
                        f"  {person.staff_id}: suggested {sorted(suggested)}, "
                        f"true {sorted(expected)}"
                    )
        elapsed = time.perf_counter() - started
    finally:
        stop_all([server])
    precision = right / (right + wrong) if right + wrong else 1.0
    recall = found_true / (found_true + missed) if found_true + missed else 1.0
    print(
        f"{researchers} researchers looked at, {with_documents} with validated outputs found in "
        f"Scopus, {len(searches)} Scopus requests, {elapsed:.1f} s"
    )
    print(f"suggestions: {right} right, {wrong} wrong; true profiles missed: {missed}")
    print(f"precision {precision:.3f}, recall {recall:.3f}")


if __name__ == "__main__":
    main()
